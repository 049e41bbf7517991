import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

// Three nights' runs on one day (a retried nightly) and one the next day: the duration chart's axis.
describe("a probe page's duration chart", () => {
  it('labels the time axis so that points on one day are told apart, and gives the value axis its unit', async () => {
    const runs = tempDir();
    ['2026-10-01T01:00:00.000Z', '2026-10-01T07:30:00.000Z', '2026-10-01T13:15:00.000Z', '2026-10-02T01:00:00.000Z'].forEach((startedAt, i) =>
      writeRun(runs, record({ runId: `run-${i}`, startedAt, outcomes: [outcome({ probe: 'jax-dot', status: 'pass', durationS: 10 + i })] })));
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runs, '--out', site])).exitCode).toBe(0);
    const svg = readFileSync(path.join(site, 'probes', 'jax-dot.html'), 'utf8').match(/<svg class="chart"[\s\S]*?<\/svg>/)![0];
    const ticks = [...svg.matchAll(/<text[^>]*text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['10-01 01:00', '10-01 07:30', '10-01 13:15', '10-02 01:00']);
    expect(svg).toMatch(/>13 s</);
    expect(svg).toMatch(/>0 s</);
    expect(svg).toContain('duration (s)');
  });
});
