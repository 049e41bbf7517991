import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SNAPSHOTS, VENV_PYTHON, cli, onlyRunDir, readRecord, tempDir, writeInlineProbe } from './helpers.js';

// The CPU venv has JAX without the TT PJRT plugin and no ttnn: neither stack is installed. That is a
// setup problem, not a verdict on TT support, and both stacks must say so the same way.
describe('a stack that is not installed', () => {
  it('is a skip [missing-dependency] for TT-XLA as for tt-metal, and blocks nothing in the impact ranking', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', path.join(ROOT, 'probes'), '--runs-dir', runs, '--probe', 'jax-dot,ttmetal-matmul',
      '--target', 'tt', '--snapshot', path.join(SNAPSHOTS, 'n150.json'), '--python', VENV_PYTHON]);
    expect(r.exitCode, r.stderr).toBe(0);
    const dir = onlyRunDir(runs);
    const byProbe = Object.fromEntries(readRecord(dir).outcomes.map((o) => [o.probe, o]));
    expect(byProbe['ttmetal-matmul']).toMatchObject({ status: 'skip', category: 'missing-dependency' });
    expect(byProbe['jax-dot']).toMatchObject({ status: 'skip', category: 'missing-dependency', layer: 'python-env', details: { missing: 'the TT PJRT plugin (pjrt-plugin-tt or jax-tt-plugin)' } });
    expect(byProbe['jax-dot']!.reason).toMatch(/TT PJRT plugin/);

    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runs, '--out', site])).exitCode).toBe(0);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toMatch(/id="impact"[^]*?Nothing fails in the latest runs/);
  });

  it('keeps a broken environment out of "which failure blocks most", in the run report (the site ranks with the same function)', async () => {
    const probes = tempDir();
    // A plugin that is installed but does not load: a real failure, of the machine's setup.
    writeInlineProbe(probes, 'broken-setup', { title: 'broken setup', stack: 'tt-xla' }, ["    raise RuntimeError(\"Unknown backend: 'tt' requested, but no platforms that are instances of tt are present.\")"]);
    writeInlineProbe(probes, 'real-bug', { title: 'real bug', stack: 'tt-xla', workload: 'cnn' }, ['    raise RuntimeError("TT_FATAL: slice_dim and num_devices must be provided")']);
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', probes, '--runs-dir', runs, '--target', 'cpu', '--python', VENV_PYTHON]);
    expect(r.exitCode, r.stderr).toBe(0);
    const dir = onlyRunDir(runs);
    const outcomes = Object.fromEntries(readRecord(dir).outcomes.map((o) => [o.probe, o]));
    expect(outcomes['broken-setup']).toMatchObject({ status: 'fail', category: 'environment' });
    const md = readFileSync(path.join(dir, 'report', 'report.md'), 'utf8');
    const impact = md.split('## Impact: which failure blocks most')[1]!.split('\n## ')[0]!;
    expect(impact).toContain('real-bug');
    expect(impact).not.toContain('broken-setup');
  });
});
