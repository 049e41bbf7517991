import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { FIXTURE_PROBES, cli, onlyRunDir, tempDir } from './helpers.js';
import { writeRun } from './site-history.js';

/** A CPU reference run (no TT device) passing 4 of 5 workloads, and one N150 night. */
function history(): string {
  const runs = tempDir();
  const workloads = ['matmul', 'cnn', 'text-encoder', 'image-diffusion', 'text-to-image-vq'];
  writeRun(runs, record({
    runId: 'cpu-ref', tier: 'none', startedAt: '2026-06-01T01:00:00.000Z',
    outcomes: workloads.map((workload, i) => outcome({ probe: `p-${workload}`, workload, target: 'cpu', status: i === 4 ? 'fail' : 'pass' })),
  }));
  writeRun(runs, record({ runId: 'n150-night', startedAt: '2026-06-01T02:00:00.000Z', outcomes: [outcome({ probe: 'p-matmul', status: 'pass' })] }));
  return runs;
}

describe('a CPU reference run', () => {
  it('is "JAX on CPU (reference)" on the site, with no TT badge or headline made from it', async () => {
    const site = path.join(tempDir(), 'site');
    const r = await cli(['site', history(), '--out', site]);
    expect(r.exitCode, r.stderr).toBe(0);
    const index = readFileSync(path.join(site, 'index.html'), 'utf8');
    expect(index).toContain('JAX on CPU (reference)');
    expect(index).not.toContain('no TT device');
    const summaries = index.match(/<ul id="summaries">([\s\S]*?)<\/ul>/)![1]!;
    expect(summaries).toContain('on N150');
    expect(summaries).not.toMatch(/4 of 5|reference|data-tier="none"/);

    const status = JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8'));
    const cpu = status.entries.filter((e: { tier: string }) => e.tier === 'none');
    expect(cpu).toHaveLength(5);
    for (const e of cpu) expect(e).toMatchObject({ target: 'cpu', badge: null });
    expect(status.entries.find((e: { tier: string }) => e.tier === 'n150')).toMatchObject({ target: 'tt', badge: 'badges/n150/tt-xla/matmul.json' });
    expect(existsSync(path.join(site, 'badges', 'none'))).toBe(false);
  });

  it('is "JAX on CPU (reference)" in the run output and its report', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass', '--target', 'cpu']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('on JAX on CPU (reference)');
    const dir = onlyRunDir(runs);
    expect(readFileSync(path.join(dir, 'report', 'report.md'), 'utf8')).toContain('JAX on CPU (reference)');
    expect(readFileSync(path.join(dir, 'report', 'index.html'), 'utf8')).toContain('JAX on CPU (reference)');
  });
});
