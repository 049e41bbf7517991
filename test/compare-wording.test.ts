import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { VERDICTS, outcome, record, writeRun } from './run-records.js';

const REDUCE_WINDOW_ISSUE = 'https://github.com/tenstorrent/tt-xla/issues/321';

function night(dir: string, runId: string, tier: string, fw: string, statuses: Record<string, keyof typeof VERDICTS>) {
  return writeRun(dir, record({
    runId, tier, startedAt: `2026-07-0${runId.endsWith('2') ? 2 : 1}T01:00:00.000Z`, firmwareBundle: fw,
    outcomes: Object.entries(statuses).map(([probe, status]) => outcome({ probe, ...VERDICTS[status] })),
  }));
}

describe('compare, as a person reads it', () => {
  it('says "No probe changed" under an environment change, with human labels for the versions', async () => {
    const dir = tempDir();
    const base = night(dir, 'night-1', 'n150', '80.17.0.0', { 'jax-dot': 'pass' });
    const next = night(dir, 'night-2', 'n150', '80.18.0.0', { 'jax-dot': 'pass' });
    const text = await cli(['compare', base, next]);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Environment changes:\n  Firmware bundle: 80.17.0.0 -> 80.18.0.0\n');
    expect(text.stdout).not.toContain('firmwareBundle');
    expect(text.stdout).toContain('No probe changed.');
    expect(text.stdout).not.toContain('No changes.');
    const md = await cli(['compare', base, next, '--md']);
    expect(md.stdout).toContain('| Firmware bundle | 80.17.0.0 | 80.18.0.0 |');
    expect(md.stdout).toContain('No probe changed.');
    // JSON keeps the field's name for machines.
    expect(JSON.parse((await cli(['compare', base, next, '--json'])).stdout).environment).toEqual([{ field: 'firmwareBundle', base: '80.17.0.0', new: '80.18.0.0' }]);
  });

  it('prints one line per missing tier, not one per probe', async () => {
    const dir = tempDir();
    const probes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`probe-${i}`, 'pass' as const]));
    const base = night(dir, 'night-1', 'n150', '80.18.0.0', probes);
    const next = night(dir, 'night-2', 't3k', '80.18.0.0', probes);
    const r = await cli(['compare', base, next]);
    const lines = r.stdout.split('\n').filter((l) => /[Tt]ier|no (n150|t3k) run/.test(l));
    expect(lines, r.stdout).toEqual([
      'Tier missing on one side, not regressions (40):',
      '  [n150] no n150 run on the new side: 20 probe(s) (probe-0, probe-1, probe-10, probe-11, probe-12, ...)',
      '  [t3k] no t3k run on the base side: 20 probe(s) (probe-0, probe-1, probe-10, probe-11, probe-12, ...)',
    ]);
    const md = await cli(['compare', base, next, '--md']);
    expect(md.stdout.split('\n').filter((l) => l.startsWith('| probe-')).length).toBe(0);
  });

  it('links the upstream issue of a regression’s known error', async () => {
    const dir = tempDir();
    const base = night(dir, 'night-1', 'n150', '80.18.0.0', { 'cnn-flax': 'pass' });
    const next = night(dir, 'night-2', 'n150', '80.18.0.0', { 'cnn-flax': 'fail' });
    const text = await cli(['compare', base, next]);
    expect(text.stdout).toContain(`  cnn-flax [n150]: pass -> fail (unsupported-op: stablehlo.reduce_window)\n    upstream: ${REDUCE_WINDOW_ISSUE}`);
    const md = await cli(['compare', base, next, '--md']);
    expect(md.stdout).toContain(`[upstream issue](${REDUCE_WINDOW_ISSUE})`);
    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    expect(json.changes[0].links).toContain(REDUCE_WINDOW_ISSUE);
  });

  it('classify names the upstream issue of the known error it found', async () => {
    const log = path.join(tempDir(), 'cnn.log');
    writeFileSync(log, "loc(\"reduce-window.14\"): error: failed to legalize operation 'stablehlo.reduce_window'\n");
    const r = await cli(['classify', log]);
    expect(r.stdout).toContain(`  upstream: ${REDUCE_WINDOW_ISSUE}`);
    expect(JSON.parse((await cli(['classify', log, '--json'])).stdout)[0].links).toContain(REDUCE_WINDOW_ISSUE);
  });
});
