import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ProbeResult } from '../src/schemas/probe-result.js';
import { cleanEnv, cli, onlyRunDir, readRecord, ROOT, tempDir } from './helpers.js';

/**
 * ttmetal-matmul on tt-metal's real ttnn (.venv-tt-metal) over a mock Blackhole P150: tt-umd's cluster
 * descriptor, as `ttprobe run --mock p150` hands it to probes. ttnn opens the mock's mesh and JIT-builds
 * every kernel with a real SFPI toolchain; execution is mocked, so the verdict is `compiled`.
 * Skips, saying why, without .venv-tt-metal, without a toolchain, or without a P150 descriptor.
 */
const PYTHON = path.join(ROOT, '.venv-tt-metal', 'bin', 'python');
const DESCRIPTOR = [path.join(ROOT, 'mock-systems', 'p150.yaml'), '/tmp/mock/p150.yaml'].find((f) => existsSync(f));

function toolchain(): string | null {
  if (existsSync('/opt/tenstorrent/sfpi')) return '/opt/tenstorrent/sfpi';
  const lib = path.join(ROOT, '.venv-tt-metal', 'lib');
  if (!existsSync(lib)) return null;
  for (const py of readdirSync(lib)) {
    const sfpi = path.join(lib, py, 'site-packages', 'ttnn', 'runtime', 'sfpi');
    if (existsSync(path.join(sfpi, 'compiler', 'bin'))) return sfpi;
  }
  return null;
}

const why = !existsSync(PYTHON) ? 'no .venv-tt-metal (scripts/setup-tt-metal.sh makes it where Python 3.12 or 3.10 exists)'
  : !toolchain() ? 'no SFPI kernel toolchain for ttnn (scripts/setup-tt-metal.sh links one when it finds one)'
    : !DESCRIPTOR ? 'no P150 cluster descriptor (mock-systems/p150.yaml)' : null;
if (why) console.warn(`real-ttnn mock tests skipped: ${why}`);

describe.skipIf(why !== null)(`ttmetal-matmul on the real ttnn over a mock P150${why ? ` [skipped: ${why}]` : ''}`, () => {
  it('opens the mock mesh, builds the kernels, reads placement from the tensors, and says compiled, never pass', async () => {
    const out = tempDir('ttprobe-metal-mock-');
    const resultFile = path.join(out, 'result.json');
    const env = {
      ...cleanEnv(), PYTHONPATH: path.join(ROOT, 'probes', 'lib'), TTPROBE_TARGET: 'tt', TTPROBE_MOCK: 'p150',
      TT_METAL_MOCK_CLUSTER_DESC_PATH: DESCRIPTOR!, TTPROBE_RESULT_FILE: resultFile, TTPROBE_OUTPUT_DIR: out,
    };
    const r = await execa(PYTHON, [path.join(ROOT, 'probes', 'ttmetal-matmul', 'probe.py')],
      { cwd: out, env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    const result = ProbeResult.parse(JSON.parse(readFileSync(resultFile, 'utf8')));
    expect(result.status).toBe('compiled');
    expect(result.placement).toEqual({ platform: 'tt', device: 'ttnn mesh 1x1 (chip ids 0, BLACKHOLE)' });
    expect(result.details.storage).toBe('StorageType.DEVICE');
    expect(result.metrics.pcc).toBeUndefined();
    expect(result.stages).toEqual(['import', 'setup', 'compile']);
    // The real ttnn's own log lines: the mock's mesh, and kernels JIT-built by the toolchain.
    expect(r.all).toContain('Currently using mock cluster descriptor');
    expect(r.all).toMatch(/JIT cache stats: \d+\/\d+ hits/);
    const sfpi = result.details.sfpi as { version: string | null; expected: string | null; mismatch: boolean; resolved: string };
    expect(sfpi.expected).toBe('7.89.0'); // ttnn 0.81.1's tt_metal/sfpi-version
    expect(sfpi.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.versions.sfpi).toBe(sfpi.version);
    expect(sfpi.mismatch).toBe(sfpi.version !== '7.89.0');
    if (sfpi.mismatch) expect(String(result.details.sfpi_mismatch)).toContain(`ttnn was built for SFPI 7.89.0; kernels are built with SFPI ${sfpi.version}`);
  }, 600_000);

  it('ttmetal-op-coverage: each op family in its own process, its own log, compiled on the mock', async () => {
    const out = tempDir('ttprobe-metal-ops-');
    const resultFile = path.join(out, 'result.json');
    const env = {
      ...cleanEnv(), PYTHONPATH: path.join(ROOT, 'probes', 'lib'), TTPROBE_TARGET: 'tt', TTPROBE_MOCK: 'p150',
      TT_METAL_MOCK_CLUSTER_DESC_PATH: DESCRIPTOR!, TTPROBE_RESULT_FILE: resultFile, TTPROBE_OUTPUT_DIR: out,
      TTPROBE_OP_FAMILIES: 'matmul,typecast',
    };
    const r = await execa(PYTHON, [path.join(ROOT, 'probes', 'ttmetal-op-coverage', 'probe.py')],
      { cwd: out, env, extendEnv: false, reject: false, all: true });
    expect(r.exitCode, r.all?.slice(-3000)).toBe(0);
    const result = ProbeResult.parse(JSON.parse(readFileSync(resultFile, 'utf8')));
    expect(result.status).toBe('compiled');
    expect(result.opResults.map((o) => [o.family, o.op, o.status])).toEqual([
      ['matmul', 'ttnn.matmul', 'compiled'], ['typecast', 'ttnn.typecast(bfloat8_b)', 'compiled'],
    ]);
    for (const o of result.opResults) {
      // Each op's own log: ttnn's lines for that op alone, its kernels built for the mock's Blackhole.
      const log = readFileSync(path.join(out, o.log), 'utf8');
      expect(log).toContain('Currently using mock cluster descriptor');
      expect(log).toMatch(/JIT cache stats/);
      expect(o.message).toBe('output on device');
    }
  }, 600_000);

  it('ttmetal-op-coverage through the CLI on a mock: compiled, placed on the mock device from the ops\' own tensors', async () => {
    const runs = tempDir('ttprobe-metal-ops-cli-');
    const r = await cli(['run', '--mock', 'p150', '--stack', 'tt-metal', '--probe', 'ttmetal-op-coverage', '--runs-dir', runs],
      { ...cleanEnv(), TTPROBE_OP_FAMILIES: 'matmul' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const runDir = onlyRunDir(runs);
    const [o] = readRecord(runDir).outcomes;
    expect(o!.status, o!.reason).toBe('compiled');
    const result = ProbeResult.parse(JSON.parse(readFileSync(path.join(runDir, 'probes', 'ttmetal-op-coverage', 'result.json'), 'utf8')));
    expect(result.placement).toEqual({ platform: 'tt', device: 'ttnn mesh 1x1 (chip ids 0, BLACKHOLE)' });
  }, 600_000);
});
