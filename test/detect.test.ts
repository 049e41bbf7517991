import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/device/detect.js';
import { DeviceReport } from '../src/schemas/device.js';
import { FAKE_BIN, FAKE_PJRT, SNAPSHOTS, VENV_PYTHON, cleanEnv, cli, tempDir } from './helpers.js';

const withFakeTtSmi = (snapshot: string, extra: NodeJS.ProcessEnv = {}) =>
  cleanEnv({ PATH: `${FAKE_BIN}:${process.env.PATH}`, FAKE_TT_SMI_SNAPSHOT: path.join(SNAPSHOTS, snapshot), ...extra });

describe('ttprobe detect with a fake tt-smi on PATH', () => {
  it.each([
    ['n150.json', 'n150'],
    ['n300.json', 'n300'],
    ['t3k.json', 't3k'],
    ['p150.json', 'p150'],
  ])('%s -> tier %s, target tt', async (snapshot, tier) => {
    const { stdout, exitCode } = await cli(['detect', '--json'], withFakeTtSmi(snapshot));
    expect(exitCode).toBe(0);
    const report = DeviceReport.parse(JSON.parse(stdout));
    expect(report).toMatchObject({ source: 'tt-smi', tier, target: 'tt' });
    expect(report.firmwareBundle).toMatch(/^\d+\.\d+/);
    expect(report.kmd).toBe('TT-KMD 1.34');
  });

  it('prints a readable summary', async () => {
    const { stdout } = await cli(['detect'], withFakeTtSmi('n150.json'));
    expect(stdout).toContain('System: N150 (tier n150: ');
    expect(stdout).toMatch(/n150 L wormhole_b0 .* 41.2°C 12W AICLK 500MHz DRAM 12G OK PCIe Gen4 x16/);
  });

  it('records a crashing tt-smi and falls back to a CPU reference run', async () => {
    const { stdout, exitCode } = await cli(['detect', '--json'], withFakeTtSmi('n150.json', { FAKE_TT_SMI_MODE: 'crash' }));
    expect(exitCode).toBe(0);
    const report = DeviceReport.parse(JSON.parse(stdout));
    expect(report.tier).toBe('none');
    expect(report.target).toBe('cpu');
    expect(report.ttSmi.error).toContain('Timed out after waiting 1000 ms for ARC to respond');
  });

  it('records garbage output instead of crashing', async () => {
    const report = DeviceReport.parse(JSON.parse((await cli(['detect', '--json'], withFakeTtSmi('n150.json', { FAKE_TT_SMI_MODE: 'garbage' }))).stdout));
    expect(report.ttSmi.error).toMatch(/no JSON object/);
  });

  it('says plainly that there is no device when tt-smi is missing', async () => {
    const { stdout } = await cli(['detect'], cleanEnv({ PATH: '/usr/bin:/bin' }));
    expect(stdout).toContain('System: no TT device (tier none: ');
    expect(stdout).toContain('tt-smi not found on PATH');
    expect(stdout).toMatch(/CPU reference run/);
  });

  it('does not hang on a hung tt-smi', async () => {
    const report = await detect({ python: VENV_PYTHON, env: withFakeTtSmi('n150.json', { FAKE_TT_SMI_MODE: 'hang' }), ttSmiTimeoutMs: 1500 });
    expect(report.ttSmi.error).toMatch(/timed out/i);
    expect(report.tier).toBe('none');
  });

  it('counts /dev/tenstorrent nodes without guessing the layout when tt-smi is missing', async () => {
    const dev = tempDir();
    for (const n of ['0', '1']) writeFileSync(path.join(dev, n), '');
    mkdirSync(path.join(dev, 'not-a-device'));
    const report = await detect({ python: VENV_PYTHON, env: cleanEnv({ PATH: '/usr/bin:/bin' }), devDir: dev });
    expect(report).toMatchObject({ source: 'dev-nodes', chips: 2, tier: 'unknown', target: 'tt' });
    expect(report.tierReason).toContain('not guessed');
  });

  it('reads a saved snapshot with --snapshot and reports a missing file with exit 2', async () => {
    const ok = await cli(['detect', '--json', '--snapshot', path.join(SNAPSHOTS, 't3k.json')], cleanEnv({ PATH: '/usr/bin:/bin' }));
    expect(JSON.parse(ok.stdout)).toMatchObject({ source: 'snapshot-file', tier: 't3k', chips: 8 });
    const missing = await cli(['detect', '--snapshot', '/nonexistent/snap.json']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/snap.json');
  });

  it('sees through a TT plugin whose devices are really CPUs', async () => {
    // The CPU venv, pinned: the default interpreter may be .venv-tt-xla, which has the real plugin.
    const report = DeviceReport.parse(JSON.parse((await cli(['detect', '--json', '--python', VENV_PYTHON], cleanEnv({ PYTHONPATH: FAKE_PJRT }))).stdout));
    expect(report.jaxBackends).toContain('tt');
    expect(report.stacks['tt-xla'].versions['pjrt-plugin-tt']).toBe('0.0.0.dev0');
    expect(report.stacks['tt-xla']).toMatchObject({ usable: false, reason: expect.stringContaining("jax.devices('tt') returns cpu devices") });
  });

  it('reports the TT-XLA and tt-metal stacks as unusable here, with reasons', async () => {
    const report = DeviceReport.parse(JSON.parse((await cli(['detect', '--json', '--python', VENV_PYTHON])).stdout));
    expect(report.stacks['tt-xla']).toMatchObject({ usable: false, reason: 'no TT PJRT plugin is installed (jax-tt-plugin or pjrt-plugin-tt)' });
    expect(report.stacks['tt-xla'].versions.jax).toBe('0.7.1');
    expect(report.stacks['tt-metal']).toMatchObject({ usable: false, reason: 'TT_METAL_HOME is not set' });
    expect(report.jaxBackends).toContain('cpu');
  });
});

describe('detect reads the interpreter whatever else it prints', () => {
  it("keeps the answer apart from a plugin logger's lines on stdout and stderr", async () => {
    // As jax-tt-plugin does: tt-metal's logger writes to stdout, before and after the inspection's answer.
    const dir = tempDir('ttprobe-noisy-');
    const noisy = path.join(dir, 'noisy-python');
    writeFileSync(noisy, [
      '#!/bin/sh',
      'echo "2026-12-05 09:08:46.143 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:235)"',
      'echo \'{"python": "9.9.9", "packages": {}}\'',
      `'${VENV_PYTHON}' "$@"`,
      'status=$?',
      'echo "2026-12-05 09:09:20.219 | info     |    BuildKernels | JIT cache stats: 0/23 hits (0.0%)"',
      'echo "1234 garbage after the answer" >&2',
      'exit $status',
    ].join('\n') + '\n');
    chmodSync(noisy, 0o755);
    const { stdout, exitCode, stderr } = await cli(['detect', '--json', '--python', `tt-xla=${noisy}`, '--python', `tt-metal=${noisy}`], cleanEnv({ PATH: '/usr/bin:/bin' }));
    expect(exitCode, stderr).toBe(0);
    const report = DeviceReport.parse(JSON.parse(stdout));
    expect(report.notes.join('\n')).not.toContain('cannot inspect');
    expect(report.stacks['tt-xla'].versions.jax).toBe('0.7.1');
    expect(report.stacks['tt-xla'].interpreter).toMatchObject({ path: noisy, starts: true, version: expect.stringMatching(/^3\.11\./) });
    expect(report.host.Python).toMatch(/^3\.11\./);
    expect(report.jaxBackends).toContain('cpu');
  });

  it('names the exit status and the last line the interpreter printed when it dies mid-inspection', async () => {
    const dir = tempDir('ttprobe-dying-');
    const dying = path.join(dir, 'dying-python');
    writeFileSync(dying, `#!/bin/sh\ncase "$2" in *importlib*) echo "TT_FATAL @ tt_cluster.cpp:129: num_chips > 0" >&2; echo "2026-12-05 | info | Metal | closing"; exit 134;; esac\nexec '${VENV_PYTHON}' "$@"\n`);
    chmodSync(dying, 0o755);
    const report = DeviceReport.parse(JSON.parse((await cli(['detect', '--json', '--python', `tt-xla=${dying}`], cleanEnv({ PATH: '/usr/bin:/bin' }))).stdout));
    expect(report.stacks['tt-xla']).toMatchObject({ usable: false });
    expect(report.notes.join('\n')).toContain(`cannot inspect ${dying}: exit code 134: TT_FATAL @ tt_cluster.cpp:129: num_chips > 0`);
  });
});
