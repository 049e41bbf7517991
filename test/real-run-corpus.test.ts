import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES } from './helpers.js';

// Full logs that real Tenstorrent packages printed on this machine (issue 21, item 4): ttnn with no
// device and on mock systems, tt-smi with no driver, jax-tt-plugin through `ttprobe run`. Labelled
// from the logs before they were classified.
const CORPUS = path.join(FIXTURES, 'corpus');
const LABELS = path.join(CORPUS, 'labels.d', 'real-runs.jsonl');
const labels = readFileSync(LABELS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
const ours = labels.filter((l) => l.file.startsWith('real-runs/'));
const logOf = (l: { file: string }) => path.join(CORPUS, 'logs', l.file);

describe('the real-run logs of the corpus', () => {
  it('are full logs of named package versions, small enough to ship, with home paths redacted', () => {
    expect(ours.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ours.map((l) => l.source.split(' ')[0]))).toEqual(new Set(['ttnn', 'tt-smi', 'jax-tt-plugin']));
    for (const l of ours) {
      expect(l.kind, l.file).toBe('full-log');
      expect(l.url, l.file).toBe(`https://pypi.org/project/${l.source.replace(' ', '/')}/`);
      expect(statSync(logOf(l)).size, l.file).toBeLessThan(200 * 1024);
      const text = readFileSync(logOf(l), 'utf8');
      expect(text, l.file).toContain(l.decisive);
      expect(text, l.file).not.toMatch(/\/root\/|\/home\/[^/\s]+\//);
    }
  });

  it('are classified as labelled, but for the galaxy mock (below)', async () => {
    const checked = ours.filter((l) => l.file !== 'real-runs/jax-dot-mock-galaxy.log');
    const r = await cli(['classify', '--json', ...checked.map(logOf)]);
    const got = JSON.parse(r.stdout).map((x: { category: string }) => x.category);
    expect(got).toEqual(checked.map((l) => l.category));
  });

  // Known defect, left for the catalog's owner: the galaxy mock's only fatal line is tt-metal's
  // `TT_FATAL: Internal error: SAT placement ...`; the later `Unknown backend tt` from the probe
  // decides instead, so the verdict says the TT wheel is not installed (environment) while
  // jax-tt-plugin is installed and its runtime stopped on the mesh placement.
  it.fails('lets the earlier TT_FATAL of the galaxy mock decide, not the later "Unknown backend tt"', async () => {
    const galaxy = ours.find((l) => l.file === 'real-runs/jax-dot-mock-galaxy.log')!;
    const r = await cli(['classify', '--json', logOf(galaxy)]);
    expect(JSON.parse(r.stdout)[0].category).toBe(galaxy.category);
  });
});
