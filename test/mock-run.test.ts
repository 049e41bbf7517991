import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cleanEnv, onlyRunDir, readRecord, ROOT, SNAPSHOTS, tempDir, writeInlineProbe } from './helpers.js';

const MOCKS = path.join(ROOT, 'mock-systems');

/**
 * Probes that speak the mock protocol without the real plugin: `compiles` reports what the runner
 * gave it and writes `compiled`; `claims-pass` says pass on a mock; `compares` fails its comparison
 * the way a PCC check does; `execute-fatal` dies in execute with a tt-metal TT_FATAL.
 */
function mockProbes(): string {
  const dir = tempDir('ttprobe-mock-probes-');
  const manifest = (title: string, stack = 'tt-xla') => ({ title, stack, timeoutSeconds: 60, needsDevice: true });
  writeInlineProbe(dir, 'compiles', manifest('compiles on the mock'), [
    '    env = {k: os.environ.get(k) for k in ("TTPROBE_TARGET", "TTPROBE_MOCK", "TT_METAL_MOCK_CLUSTER_DESC_PATH", "TMPDIR")}',
    '    open(os.path.join(os.environ["TTPROBE_OUTPUT_DIR"], "env.json"), "w").write(json.dumps(env))',
    '    run.stage("lower"); run.stage("compile")',
    '    run._data["placement"] = {"platform": "tt", "device": "TTDevice(id=0, arch=Blackhole)"}',
    '    run._write("compiled" if env["TTPROBE_MOCK"] else "pass", message="compiled jit_dot for TTDevice(id=0, arch=Blackhole)")',
  ], ['import json, os']);
  writeInlineProbe(dir, 'metal-env', manifest('tt-metal env on the mock', 'tt-metal'), [
    '    env = {k: os.environ.get(k) for k in ("TTPROBE_TARGET", "TTPROBE_MOCK", "TT_METAL_MOCK_CLUSTER_DESC_PATH", "MESH_DEVICE")}',
    '    open(os.path.join(os.environ["TTPROBE_OUTPUT_DIR"], "env.json"), "w").write(json.dumps(env))',
    '    run._data["placement"] = {"platform": "tt", "device": "MeshDevice(1x1)"}',
    '    run._write("compiled")',
  ], ['import json, os']);
  writeInlineProbe(dir, 'claims-pass', manifest('says pass on a mock'), [
    '    run._data["placement"] = {"platform": "tt", "device": "TTDevice(id=0, arch=Blackhole)"}',
    '    run._write("pass", message="computed 32.0")',
  ]);
  writeInlineProbe(dir, 'compares', manifest('compares mocked outputs'), [
    '    run.stage("execute"); run.stage("compare")',
    '    raise AssertionError("PCC comparison failed. Calculated: pcc=0.0012. Required: pcc=0.99")',
  ]);
  writeInlineProbe(dir, 'fails-compile', manifest('fails to legalize'), [
    '    run.stage("lower"); run.stage("compile")',
    '    sys.stderr.write("error: failed to legalize operation \'stablehlo.cholesky\'\\n")',
    '    raise RuntimeError("INTERNAL: Failed to convert from SHLO to TTIR module")',
  ]);
  writeInlineProbe(dir, 'execute-fatal', manifest('dies in mocked execution'), [
    '    run.stage("lower"); run.stage("compile"); run.stage("execute")',
    '    sys.stderr.write("TT_FATAL @ /work/ttnn/operations/data_movement/reshape_view/reshape_common.cpp:50: new_volume == old_volume\\ninfo:\\nInvalid arguments to reshape\\n")',
    '    raise RuntimeError("TT_FATAL @ reshape_common.cpp:50: new_volume == old_volume")',
  ]);
  return dir;
}

const mockRun = (probes: string, runs: string, mock: string, ...rest: string[]) =>
  cli(['run', '--probes-dir', probes, '--runs-dir', runs, '--mock', mock, ...rest]);

describe('ttprobe run --mock', () => {
  it('runs probes against a shipped mock system: no tt-smi, no lock, the mock named in env, record and report', async () => {
    const probes = mockProbes();
    const runs = tempDir();
    const r = await mockRun(probes, runs, 'p150', '--probe', 'compiles,metal-env');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('run complete: 2 compiled');
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    const descriptor = path.join(MOCKS, 'p150.yaml');
    expect(record.device.source).toBe('mock');
    expect(record.device.tier).toBe('p150-mock');
    expect(record.fingerprint.tier).toBe('p150-mock');
    expect(record.device.mock).toMatchObject({ tier: 'p150', descriptor, source: 'shipped' });
    expect(record.device.mock!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.device.boards.map((b) => b.boardTypeRaw)).toEqual(['p150 (mock)']);
    expect(record.lockedDevices).toEqual([]);
    expect(record.options.target).toBe('tt');
    const [compiled, metal] = record.outcomes;
    expect(compiled).toMatchObject({ probe: 'compiles', status: 'compiled', category: null, reason: 'compiled jit_dot for TTDevice(id=0, arch=Blackhole)' });
    expect(metal).toMatchObject({ probe: 'metal-env', status: 'compiled' });
    const env = JSON.parse(readFileSync(path.join(runDir, 'probes', 'compiles', 'out', 'env.json'), 'utf8'));
    expect(env).toMatchObject({ TTPROBE_TARGET: 'tt', TTPROBE_MOCK: 'p150', TT_METAL_MOCK_CLUSTER_DESC_PATH: descriptor });
    // A TT-XLA probe on TT gets a slot of ttprobe's cache as its temporary folder, held by one process at a
    // time, so the plugin's toolchain and kernels are kept and its system descriptor is never shared.
    expect(env.TMPDIR).toMatch(/[/]tt-xla[/]slot-\d+[/]tmp$/);
    const metalEnv = JSON.parse(readFileSync(path.join(runDir, 'probes', 'metal-env', 'out', 'env.json'), 'utf8'));
    expect(metalEnv).toMatchObject({ TTPROBE_MOCK: 'p150', TT_METAL_MOCK_CLUSTER_DESC_PATH: descriptor, MESH_DEVICE: 'P150' });

    const html = readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('P150 (mock)');
    expect(html).toContain('<span class="badge status-compiled">compiled (mock)</span>');
    const md = readFileSync(path.join(runDir, 'report', 'report.md'), 'utf8');
    expect(md).toContain('**Outcomes:** 2 compiled (mock)');
    expect(md).toContain('| Mock system | P150 (mock): shipped descriptor');
    const junit = readFileSync(path.join(runDir, 'report', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase[^>]*name="compiles"[^>]*>\s*<properties>\s*<property name="ttprobe.status" value="compiled"\/>/);
    expect(junit).not.toContain('<failure');
    expect(junit).toContain('compiled (mock): compiled jit_dot');
  });

  it('keeps a mock descriptor left in the shell out of a hardware or CPU run', async () => {
    const probes = mockProbes();
    const runs = tempDir();
    const env = cleanEnv({ TT_METAL_MOCK_CLUSTER_DESC_PATH: path.join(MOCKS, 'p150.yaml'), TTPROBE_MOCK: 'p150' });
    const r = await cli(['run', '--probes-dir', probes, '--runs-dir', runs, '--probe', 'compiles', '--target', 'cpu', '--no-report'], env);
    const runDir = onlyRunDir(runs);
    const seen = JSON.parse(readFileSync(path.join(runDir, 'probes', 'compiles', 'out', 'env.json'), 'utf8'));
    expect(seen).toMatchObject({ TTPROBE_MOCK: null, TT_METAL_MOCK_CLUSTER_DESC_PATH: null });
    expect(readRecord(runDir).device.mock).toBeNull();
    expect(r.exitCode).toBe(0);
  });

  it('a user descriptor is read, its tier told from arch, chips and board type, and named as the user\'s', async () => {
    const probes = mockProbes();
    const runs = tempDir();
    const own = path.join(tempDir(), 'my-p300.yaml');
    copyFileSync(path.join(MOCKS, 'p300.yaml'), own);
    const r = await mockRun(probes, runs, own, '--probe', 'compiles', '--no-report');
    expect(r.exitCode, r.stderr).toBe(0);
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    expect(record.device.mock).toMatchObject({ tier: 'p300', descriptor: own, source: 'user' });
    expect(record.device.tier).toBe('p300-mock');
    expect(record.device.chips).toBe(2);
    const seen = JSON.parse(readFileSync(path.join(runDir, 'probes', 'compiles', 'out', 'env.json'), 'utf8'));
    expect(seen).toMatchObject({ TTPROBE_MOCK: 'custom', TT_METAL_MOCK_CLUSTER_DESC_PATH: own });
  });

  it('refuses a bad descriptor, a missing file, --target cpu and --snapshot with exit 2, writing nothing', async () => {
    const probes = mockProbes();
    const dir = tempDir();
    const noBoards = path.join(dir, 'no-boards.yaml');
    writeFileSync(noBoards, readFileSync(path.join(MOCKS, 'p150.yaml'), 'utf8').replace(/^boards:[\s\S]*$/m, ''));
    const notYaml = path.join(dir, 'broken.yaml');
    writeFileSync(notYaml, 'arch: [unclosed\n');
    const badArch = path.join(dir, 'grayskull.yaml');
    writeFileSync(badArch, readFileSync(path.join(MOCKS, 'p150.yaml'), 'utf8').replace('0: blackhole', '0: grayskull'));
    const cases: Array<[string[], RegExp]> = [
      [['--mock', noBoards], new RegExp(`${noBoards.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field 'boards': missing`)],
      [['--mock', notYaml], /broken\.yaml: not a YAML cluster descriptor/],
      [['--mock', badArch], /grayskull\.yaml: field 'arch\.0': unknown architecture 'grayskull'/],
      [['--mock', path.join(dir, 'absent.yaml')], /--mock must be a tier \(n150, n300, t3k, galaxy, p100, p150, p300\) or a tt-umd cluster descriptor file/],
      [['--mock', 'p150', '--target', 'cpu'], /--mock .* cannot be combined with --target cpu/],
      [['--mock', 'p150', '--snapshot', path.join(SNAPSHOTS, 'p150.json')], /--mock and --snapshot cannot be combined/],
    ];
    for (const [args, message] of cases) {
      const runs = tempDir();
      const r = await cli(['run', '--probes-dir', probes, '--runs-dir', runs, '--probe', 'compiles', ...args]);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(runs)).toEqual([]);
    }
  });

  it('compiled is never a pass: a pass on a mock, compiled off a mock and a comparison on a mock are protocol failures', async () => {
    const probes = mockProbes();
    const runs = tempDir();
    const r = await mockRun(probes, runs, 'p150', '--probe', 'claims-pass,compares,fails-compile,execute-fatal', '--no-report');
    const record = readRecord(onlyRunDir(runs));
    const of = (id: string) => record.outcomes.find((o) => o.probe === id)!;
    expect(of('claims-pass')).toMatchObject({ status: 'fail', category: 'unknown', layer: 'harness' });
    expect(of('claims-pass').reason).toMatch(/claimed pass on a mock system, which computes nothing/);
    // Nothing computed on a mock is compared: never numerical-mismatch, whatever the log says.
    expect(of('compares')).toMatchObject({ status: 'fail', category: 'unknown', layer: 'harness', ruleId: null });
    expect(of('compares').reason).toMatch(/compared outputs on a mock system, which computes nothing/);
    expect(record.outcomes.some((o) => o.category === 'numerical-mismatch')).toBe(false);
    // A failure before execution keeps its real category and stage.
    expect(of('fails-compile')).toMatchObject({ status: 'fail', category: 'unsupported-op', details: { op: 'stablehlo.cholesky' } });
    expect(of('fails-compile').stages?.failedAt).toBe('compile');
    expect(of('execute-fatal').notes.join(' ')).toContain('execution is mocked');
    expect(r.exitCode).toBe(0);

    const hwRuns = tempDir();
    await cli(['run', '--probes-dir', probes, '--runs-dir', hwRuns, '--probe', 'compares,compiles', '--target', 'cpu', '--no-report'], cleanEnv({ TTPROBE_MOCK: '' }));
    const hw = readRecord(onlyRunDir(hwRuns));
    // Off a mock, the same comparison failure is the numerical verdict it always was.
    expect(hw.outcomes.find((o) => o.probe === 'compares')!.category).toBe('numerical-mismatch');
  });

  it('a probe that reports compiled outside a mock run fails the protocol', async () => {
    const probes = tempDir();
    writeInlineProbe(probes, 'says-compiled', { title: 'compiled off a mock', stack: 'tt-xla', timeoutSeconds: 60 }, [
      '    run._data["placement"] = {"platform": "cpu", "device": "TFRT_CPU_0"}',
      '    run._write("compiled")',
    ]);
    const runs = tempDir();
    await cli(['run', '--probes-dir', probes, '--runs-dir', runs, '--target', 'cpu', '--no-report']);
    const [o] = readRecord(onlyRunDir(runs)).outcomes;
    expect(o).toMatchObject({ status: 'fail', category: 'unknown', layer: 'harness' });
    expect(o!.reason).toMatch(/compiled outside a mock run/);
  });

  it('a mock run and a hardware run of the same tier are different systems: compare pairs neither, site and history keep them apart', async () => {
    const probes = mockProbes();
    const runs = tempDir();
    expect((await mockRun(probes, runs, 'p150', '--probe', 'compiles', '--no-report')).exitCode).toBe(0);
    const hwRuns = tempDir();
    const hw = await cli(['run', '--probes-dir', probes, '--runs-dir', hwRuns, '--probe', 'compiles', '--snapshot', path.join(SNAPSHOTS, 'p150.json'), '--target', 'tt', '--no-report']);
    expect(hw.exitCode, hw.stderr).toBe(0);
    const mockDir = onlyRunDir(runs);
    const hwDir = onlyRunDir(hwRuns);
    expect(readRecord(hwDir).fingerprint.tier).toBe('p150');
    const c = JSON.parse((await cli(['compare', hwDir, mockDir, '--json'])).stdout);
    expect(c.changes.map((x: { kind: string; tier: string }) => `${x.kind} ${x.tier}`).sort()).toEqual(['tier-missing p150', 'tier-missing p150-mock']);
    expect(c.environment).toContainEqual({ field: 'tier', base: 'p150', new: 'p150-mock' });

    // A baseline from hardware cannot judge a mock run.
    const refused = await mockRun(probes, tempDir(), 'p150', '--probe', 'compiles', '--baseline', hwDir);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/taken on p150; a mock run cannot be judged against a hardware system's outcomes/);

    // Mock with mock of the same tier: compiled both times is no change.
    expect((await mockRun(probes, runs, 'p150', '--probe', 'compiles', '--no-report')).exitCode).toBe(0);
    const [first, second] = readdirSync(runs).sort().map((d) => path.join(runs, d));
    const same = await cli(['compare', first!, second!, '--json']);
    expect(JSON.parse(same.stdout).changes).toEqual([]);

    const site = tempDir();
    cpSync(hwDir, path.join(runs, path.basename(hwDir)), { recursive: true });
    const s = await cli(['site', runs, '--out', site, '--no-cache']);
    expect(s.exitCode, s.stderr).toBe(0);
    const status = JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8'));
    expect(status.systems.map((x: { tier: string }) => x.tier).sort()).toEqual(['p150', 'p150-mock']);
    const mockEntry = status.entries.find((e: { tier: string }) => e.tier === 'p150-mock');
    expect(mockEntry).toMatchObject({ status: 'compiled', message: 'compiles (mock)' });
    const badge = JSON.parse(readFileSync(path.join(site, mockEntry.badge), 'utf8'));
    expect(badge).toMatchObject({ message: 'compiles (mock)', color: 'blue' });
    expect(badge.label).toContain('(P150 (mock))');
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('P150 (mock)');
    const history = await cli(['history', runs]);
    expect(history.stdout).toContain('p150-mock');
    expect(existsSync(path.join(site, 'index.html'))).toBe(true);
  });
});
