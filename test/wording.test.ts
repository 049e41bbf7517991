import { describe, expect, it } from 'vitest';
import { VENV_PYTHON, XLA_PYTHON, cli, tempDir, whyNoRealTtXla } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

describe('detect, read by someone setting up a machine', () => {
  it('says how to fix a stack that is not usable, and names a machine without chips one way', async () => {
    const r = await cli(['detect', '--python', VENV_PYTHON]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('System: no TT device (tier none: no Tenstorrent chips found)');
    expect(r.stdout).not.toMatch(/^Tier: none/m);
    expect(r.stdout).toMatch(/tt-xla: not usable \([^\n]*\n(?:  [^\n]*\n)*  to fix: [^\n]*requirements-tt\.txt[^\n]*stacks\.tt-xla\.python in ttprobe\.config\.json/);
    expect(r.stdout).toMatch(/tt-metal: not usable \([^\n]*\n(?:  [^\n]*\n)*  to fix: [^\n]*stacks\.tt-metal\.ttMetalHome in ttprobe\.config\.json/);
  });

  const noPlugin = whyNoRealTtXla();
  it.skipIf(noPlugin)(`tells a machine with the real plugin but no chip to check the board or compile on a mock, not to reinstall${noPlugin ? ` (skipped: ${noPlugin})` : ''}`, async () => {
    const r = await cli(['detect', '--python', `tt-xla=${XLA_PYTHON}`]);
    expect(r.exitCode, r.stderr).toBe(0);
    const fix = r.stdout.match(/tt-xla: not usable \([^\n]*No chips detected[^\n]*\n(?:  [^\n]*\n)*?  to fix: ([^\n]*)/)?.[1];
    expect(fix, r.stdout).toBeDefined();
    expect(fix).not.toContain('install jax');
    expect(fix).toContain('/dev/tenstorrent');
    expect(fix).toContain('ttprobe run --mock p150');
  });
});

describe('history, read as a table', () => {
  it('has a header row and columns that line up whatever the versions', async () => {
    const runs = tempDir();
    writeRun(runs, record({ runId: 'night-1', startedAt: '2026-09-01T01:00:00.000Z', firmwareBundle: '80.18.0.0', plugin: '0.1.0', outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] }));
    writeRun(runs, record({
      runId: 'night-2', tier: 'none', startedAt: '2026-09-02T01:00:00.000Z', firmwareBundle: '80.18.0.0-rc1+build.12345', plugin: '0.1.0.dev20261201',
      outcomes: [outcome({ probe: 'jax-dot', status: 'fail', target: 'cpu' }), outcome({ probe: 'cnn-flax', status: 'pass', target: 'cpu' })],
    }));
    const r = await cli(['history', runs]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').slice(0, 3);
    expect(lines[0]).toMatch(/^DATE +SYSTEM +STATE +FIRMWARE +PLUGIN +TT-METAL +JAX +OUTCOMES +RUN$/);
    expect(lines[2]).toContain('JAX on CPU (reference)');
    // Every column starts where its header does, on every row.
    for (const header of ['SYSTEM', 'STATE', 'FIRMWARE', 'PLUGIN', 'TT-METAL', 'JAX ', 'OUTCOMES', 'RUN']) {
      const at = lines[0]!.indexOf(header);
      for (const line of lines.slice(1)) expect(line[at - 1], `${header} in ${line}`).toBe(' ');
      for (const line of lines.slice(1)) expect(line[at], `${header} in ${line}`).not.toBe(' ');
    }
  });
});
