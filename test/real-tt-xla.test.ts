import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '../src/schemas/device.js';
import { ProbeResult } from '../src/schemas/probe-result.js';
import { MOCK_P150, ROOT, XLA_PYTHON, cleanEnv, cli, onlyRunDir, readRecord, tempDir, whyNoRealTtXla } from './helpers.js';

const P150 = MOCK_P150;

const skipReason = whyNoRealTtXla();
if (skipReason) console.warn(`SKIPPED: the real TT-XLA stack tests: ${skipReason}`);

/** The probe's environment as the runner gives it under `--mock p150`, in a fresh output folder. */
function mockProbeEnv(dir: string): NodeJS.ProcessEnv {
  return cleanEnv({
    TTPROBE_TARGET: 'tt',
    TTPROBE_MOCK: 'p150',
    TT_METAL_MOCK_CLUSTER_DESC_PATH: P150,
    TTPROBE_RESULT_FILE: path.join(dir, 'result.json'),
    TTPROBE_STAGE_FILE: path.join(dir, 'stages.log'),
    TTPROBE_OUTPUT_DIR: path.join(dir, 'out'),
    ENABLE_BRINGUP_STAGE_LOGGING: '1',
    PYTHONPATH: path.join(ROOT, 'probes', 'lib'),
    TMPDIR: path.join(dir, 'tmp'),
  });
}

describe.skipIf(skipReason !== null)('the real TT-XLA stack (jax-tt-plugin) on a mock P150', () => {
  it('detect, with no config or flag, takes .venv-tt-xla and reports the plugin and the device it sees', async () => {
    const cwd = tempDir('ttprobe-detect-cwd-');
    const r = await cli(['detect', '--json'], cleanEnv({ TT_METAL_MOCK_CLUSTER_DESC_PATH: P150, PATH: '/usr/bin:/bin' }), cwd);
    expect(r.exitCode, r.stderr).toBe(0);
    // tt-metal writes generated/ into its working directory when it opens the device: not into the caller's.
    expect(readdirSync(cwd)).toEqual([]);
    const xla = DeviceReport.parse(JSON.parse(r.stdout)).stacks['tt-xla'];
    expect(xla).toMatchObject({
      usable: true,
      reason: 'JAX sees TTDevice(id=0, arch=Blackhole) through jax-tt-plugin 0.1.3',
      versions: { jax: '0.7.1', 'jax-tt-plugin': '0.1.3' },
      interpreter: { path: XLA_PYTHON, from: 'the default (.venv-tt-xla)', starts: true },
    });
  });

  it('jax-dot compiles both its programs through TT-MLIR, executes none, and says compiled (probe script, runner environment)', async () => {
    const dir = tempDir('ttprobe-real-xla-');
    const env = mockProbeEnv(dir);
    for (const sub of ['out', 'tmp']) execaSync('mkdir', ['-p', path.join(dir, sub)]);
    const run = await execa(XLA_PYTHON, [path.join(ROOT, 'probes', 'jax-dot', 'probe.py')], { env, extendEnv: false, cwd: path.join(dir, 'out'), reject: false });
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const result = ProbeResult.parse(JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')));
    expect(result).toMatchObject({
      status: 'compiled',
      placement: { platform: 'tt', device: 'TTDevice(id=0, arch=Blackhole)' },
      metrics: {},
      stages: ['import', 'setup', 'lower', 'compile'],
      details: { mock: 'p150', compiled_programs: 2 },
    });
    expect(result.message).toBe('2 workload program(s) compiled for TTDevice(id=0, arch=Blackhole) (mock p150); nothing was executed');
    expect(result.timings.compile_s).toBeGreaterThan(0);
    expect(result.timings.execute_s).toBeUndefined();
    expect(readFileSync(path.join(dir, 'stages.log'), 'utf8')).toBe('import\nsetup\nlower\ncompile\nlower\ncompile\n');
    // The plugin's own stage, seeded as FE_COMPILATION_START before each program and advanced by TT-MLIR.
    expect(readFileSync(path.join(dir, 'out', '._bringup_stage.txt'), 'utf8')).toBe('TTMLIR_COMPILATION_START\n');
    // Proof that probes never share the system descriptor: the plugin keeps it in its own TMPDIR, and deletes it at exit.
    expect(run.stdout + run.stderr).not.toContain('system desc does not exist');
    expect(readdirSync(path.join(dir, 'tmp'))).not.toContain('tt_pjrt_system_descriptor');
  });

  it('keeps tt_pjrt_system_descriptor in the TMPDIR it is given, one per process', async () => {
    const dir = tempDir('ttprobe-sysdesc-');
    const script = 'import jax, os, sys; jax.devices("tt"); print("SYSDESC", os.path.exists(os.path.join(os.environ["TMPDIR"], "tt_pjrt_system_descriptor")), file=sys.stderr)';
    const run = await execa(XLA_PYTHON, ['-c', script], { env: cleanEnv({ TT_METAL_MOCK_CLUSTER_DESC_PATH: P150, TMPDIR: dir }), extendEnv: false, cwd: dir, reject: false });
    expect(run.stderr).toContain('SYSDESC True');
    expect(existsSync(path.join(dir, 'tt_pjrt_system_descriptor'))).toBe(false);
  });

  it('ttprobe run --mock p150 --probe jax-dot: compiled, on the tt platform, through the real plugin', async () => {
    const runsDir = tempDir();
    const r = await cli(['run', '--mock', 'p150', '--probe', 'jax-dot', '--runs-dir', runsDir, '--no-report'], cleanEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const record = readRecord(onlyRunDir(runsDir));
    expect(record.device.stacks['tt-xla']).toMatchObject({ usable: true, versions: { 'jax-tt-plugin': '0.1.3' } });
    const [o] = record.outcomes;
    expect(o).toMatchObject({ probe: 'jax-dot', status: 'compiled', category: null });
    expect(o!.result).toMatchObject({ status: 'compiled', placement: { platform: 'tt' } });
    expect(o!.stages).toMatchObject({ last: 'compile', failedAt: null, compiler: { marker: 'TTMLIR_COMPILATION_START' } });
  });

  it("a CPU reference run with the plugin's interpreter never loads the plugin, and still computes 32.0", async () => {
    const runsDir = tempDir();
    const r = await cli(['run', '--target', 'cpu', '--probe', 'jax-dot', '--runs-dir', runsDir, '--no-report'], cleanEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const runDir = onlyRunDir(runsDir);
    const [o] = readRecord(runDir).outcomes;
    expect(o).toMatchObject({ status: 'pass', result: { metrics: { dot: 32 }, details: { jax_plugins_not_loaded: ['jax_plugins.libtt'] } } });
    expect(readRecord(runDir).options.stacks?.['tt-xla']?.python).toBe(XLA_PYTHON);
    // The plugin unpacks its 400 MB toolchain into TMPDIR when loaded: nothing of it in the probe's.
    expect(readdirSync(path.join(runDir, 'probes', 'jax-dot', 'tmp')).filter((n) => n.startsWith('libtt-'))).toEqual([]);
  });
});
