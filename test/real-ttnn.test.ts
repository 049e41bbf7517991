import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { DeviceReport } from '../src/schemas/device.js';
import { cleanEnv, cli, onlyRunDir, readRecord, ROOT, tempDir } from './helpers.js';

/**
 * The tt-metal stack on tt-metal's real `ttnn` wheel (.venv-tt-metal, made by scripts/setup-tt-metal.sh
 * where Python 3.12 or 3.10 exists), on a machine without a Tenstorrent device and without a mock.
 */
export const METAL_PYTHON = path.join(ROOT, '.venv-tt-metal', 'bin', 'python');
const HAVE_METAL = existsSync(METAL_PYTHON);
const WHY = HAVE_METAL ? '' : ' [skipped: no .venv-tt-metal; scripts/setup-tt-metal.sh makes it where Python 3.12 or 3.10 exists]';
if (!HAVE_METAL) console.warn(`real-ttnn tests${WHY}`);

/** The environment of a machine with no device and no mock: whatever a developer has set is cleared. */
function noDeviceEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  delete env.TT_METAL_MOCK_CLUSTER_DESC_PATH;
  delete env.MESH_DEVICE;
  return env;
}

const TIMEOUT = 240_000;

describe.skipIf(!HAVE_METAL)(`the real ttnn (0.81.1) without a device${WHY}`, () => {
  it('ttmetal-matmul ends device-unavailable at setup, from ttnn\'s own "No chips detected in the cluster"', async () => {
    const runsDir = tempDir();
    const r = await cli(['run', '--probe', 'ttmetal-matmul', '--target', 'tt', '--runs-dir', runsDir,
      '--python', `tt-metal=${METAL_PYTHON}`, '--no-report'], noDeviceEnv());
    const outcome = readRecord(onlyRunDir(runsDir)).outcomes[0]!;
    expect(outcome.status, `${outcome.reason}\n${r.stderr}`).toBe('fail');
    expect(outcome.category).toBe('device-unavailable');
    expect(outcome.stages?.failedAt).toBe('setup');
    const log = readFileSync(path.join(onlyRunDir(runsDir), outcome.logs.stderr), 'utf8')
      + readFileSync(path.join(onlyRunDir(runsDir), outcome.logs.stdout), 'utf8');
    expect(log).toMatch(/TT_FATAL @ \S*tt_cluster\.cpp:\d+: num_chips > 0/);
    expect(log).toContain('No chips detected in the cluster');
    expect(outcome.result?.versions.ttnn).toBe('0.81.1');
  }, TIMEOUT);

  it('every ttnn name the pytest plugin wraps or reads exists on the real module, and each hook installs', async () => {
    // The plugin's own list, checked against the names the tt-metal probes depend on: a name dropped
    // from the plugin fails here as surely as one renamed upstream.
    const check = [
      'import json, ttnn',
      'from ttprobe_probe import metal_plugin as p',
      'owners = {"ttnn": ttnn, "ttnn.Tensor": ttnn.Tensor}',
      'names = {f"{o}.{n}": callable(getattr(owners[o], n, None)) for table in (p.WRAPPED, p.READ) for o, ns in table.items() for n in ns}',
      'print("NAMES " + json.dumps(names))',
    ].join('\n');
    const env = { ...noDeviceEnv(), PYTHONPATH: path.join(ROOT, 'probes', 'lib') };
    const r = await execa(METAL_PYTHON, ['-c', check], { env, extendEnv: false, reject: false });
    const line = r.stdout.split('\n').find((l) => l.startsWith('NAMES '));
    expect(line, r.stderr).toBeTruthy();
    expect(JSON.parse(line!.slice(6))).toEqual({
      'ttnn.to_torch': true, 'ttnn.from_device': true, 'ttnn.is_tensor_storage_on_device': true,
      'ttnn.Tensor.cpu': true, 'ttnn.Tensor.to_torch': true, 'ttnn.Tensor.storage_type': true, 'ttnn.Tensor.device': true,
    });
  }, TIMEOUT);

  it('the plugin, loaded into pytest on the real ttnn, installs every hook and counts a host read-back', async () => {
    const dir = tempDir('ttprobe-plugin-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'test_readback.py'), [
      'import torch, ttnn',
      'def test_host_tensor_read_back():',
      '    t = ttnn.from_torch(torch.ones((32, 32), dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)',
      '    assert ttnn.to_torch(t).sum().item() == 1024',
      '',
    ].join('\n'));
    const report = path.join(dir, 'report.json');
    const env = { ...noDeviceEnv(), PYTHONPATH: path.join(ROOT, 'probes', 'lib'), TTPROBE_METAL_REPORT: report };
    const r = await execa(METAL_PYTHON, ['-m', 'pytest', '-q', '-p', 'ttprobe_probe.metal_plugin', 'test_readback.py'],
      { cwd: dir, env, extendEnv: false, reject: false });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const data = JSON.parse(readFileSync(report, 'utf8'));
    expect(data.hooks).toEqual(['ttnn.to_torch', 'ttnn.from_device', 'ttnn.Tensor.cpu', 'ttnn.Tensor.to_torch']);
    expect(data.missingHooks).toEqual([]);
    expect(data.readbacks).toEqual({ device: 0, host: 1 });
  }, TIMEOUT);

  it('detect names the real ttnn version of the tt-metal interpreter', async () => {
    const r = await cli(['detect', '--json', '--python', `tt-metal=${METAL_PYTHON}`], noDeviceEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DeviceReport;
    expect(report.stacks['tt-metal'].versions.ttnn).toBe('0.81.1');
    expect(report.stacks['tt-metal'].interpreter?.path).toBe(METAL_PYTHON);
  }, TIMEOUT);
});
