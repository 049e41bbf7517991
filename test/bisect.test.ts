import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, FIXTURES, readRecord, ROOT, tempDir, VENV_PYTHON, writeInlineProbe } from './helpers.js';

const PKG = 'ttprobe-bisect-demo';
/** 1.0 and 1.1 answer right, 1.2 is wrong every second call, 1.3 and 1.4 are always wrong. */
const SOURCES: Record<string, string> = { '1.0': 'demo_v1.py', '1.1': 'demo_v1.py', '1.2': 'demo_flaky.py', '1.3': 'demo_v2.py', '1.4': 'demo_v2.py' };

let wheels: string;
let probesDir: string;
let basePython: string;
let cache: string;

/** A probe that checks the demo package's answer, and records which version it imported. */
function writeProbe(dir: string): void {
  writeInlineProbe(dir, 'demo-answer', { title: 'the demo package answers 42', stack: 'tt-xla', timeoutSeconds: 60 }, [
    '    run.require("ttprobe_bisect_demo")',
    '    import ttprobe_bisect_demo as demo',
    `    run.versions_of(${JSON.stringify(PKG)})`,
    '    run.stage("setup")',
    '    with run.timer("execute"):',
    '        value = demo.answer()',
    '    run.placement(run.target, "host")',
    '    run.check_close(value, 42.0, rtol=0, atol=1e-9, what="answer")',
    '    run.passed(f"answer = {value}")',
  ]);
}

beforeAll(async () => {
  wheels = tempDir('ttprobe-wheels-');
  for (const [version, source] of Object.entries(SOURCES)) {
    await execa(VENV_PYTHON, [path.join(FIXTURES, 'bisect', 'make_wheel.py'), wheels, 'ttprobe_bisect_demo', version, path.join(FIXTURES, 'bisect', source)]);
  }
  probesDir = tempDir('ttprobe-probes-');
  writeProbe(probesDir);
  // The lab's environment as bisect finds it: the probe venv plus the bad version, installed.
  const base = path.join(tempDir('ttprobe-base-'), 'venv');
  await execa(VENV_PYTHON, ['-m', 'venv', '--without-pip', base]);
  basePython = path.join(base, 'bin', 'python');
  const { stdout: sites } = await execa(VENV_PYTHON, ['-c', 'import json, site; print(json.dumps(site.getsitepackages()))']);
  const { stdout: purelib } = await execa(basePython, ['-c', 'import sysconfig; print(sysconfig.get_path("purelib"))']);
  mkdirSync(purelib, { recursive: true });
  writeFileSync(path.join(purelib, 'probe-venv.pth'), (JSON.parse(sites) as string[]).map((d) => `import site; site.addsitedir(${JSON.stringify(d)})`).join('\n') + '\n');
  await execa(VENV_PYTHON, ['-m', 'pip', '--python', basePython, 'install', '--no-index', '--find-links', wheels, `${PKG}==1.4`]);
  cache = tempDir('ttprobe-venvs-');
});

const bisectArgs = (runs: string, ...more: string[]) => [
  'bisect', '--probe', 'demo-answer', '--package', PKG, '--index', wheels, '--probes-dir', probesDir, '--runs-dir', runs,
  '--cache-dir', cache, '--python', basePython, '--target', 'cpu', ...more,
];

describe('ttprobe bisect', () => {
  it('finds the first version whose verdict differs, each step a normal run in its own venv, and exits 1', async () => {
    const runs = tempDir();
    const r = await cli(bisectArgs(runs, '--good', '1.0', '--bad', '1.4'), cleanEnv({ DEMO_COUNTER_FILE: path.join(tempDir(), 'calls') }));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain('5 versions from 1.0 (good) to 1.4 (bad)');
    expect(r.stdout).toMatch(/^1\.0 \(good\): pass: answer = 42\.0/m);
    expect(r.stdout).toMatch(/^1\.4 \(bad\): fail: numerical-mismatch \(allclose-mismatch\), failed at compare: .*\[differs from good\]/m);
    expect(r.stdout).toMatch(/^step 1: 1\.2: pass: .*\[same as good\]/m);
    expect(r.stdout).toMatch(/^step 2: 1\.3: fail: .*\[differs from good\]/m);
    expect(r.stdout).toContain("first version whose verdict differs from 1.0's: 1.3");
    expect(r.stdout).toMatch(/^ {2}1\.2: pass/m);
    expect(r.stdout).toMatch(/^ {2}1\.3: fail: numerical-mismatch/m);
    // Every step is a full run record, and each imported the version under test, not the base's 1.4.
    const [bisectDir] = readdirSync(runs);
    for (const version of ['1.0', '1.2', '1.3', '1.4']) {
      const [runDir] = readdirSync(path.join(runs, bisectDir!, version));
      const outcome = readRecord(path.join(runs, bisectDir!, version, runDir!)).outcomes[0]!;
      expect(outcome.result!.versions[PKG]).toBe(version);
    }
    expect(existsSync(path.join(runs, bisectDir!, '1.1'))).toBe(false);
    expect(readdirSync(cache).filter((d) => !d.endsWith('.lock')).sort()).toEqual(
      ['1.0', '1.2', '1.3', '1.4'].map((v) => expect.stringMatching(new RegExp(`^${PKG}-${v.replace('.', '\\.')}-[0-9a-f]{12}$`))),
    );
  });

  it('--repeat tells a flake from a change, reusing the cached venvs', async () => {
    const venv12 = readdirSync(cache).find((d) => d.startsWith(`${PKG}-1.2-`) && !d.endsWith('.lock'))!;
    const made = statSync(path.join(cache, venv12, 'ttprobe-venv.json')).mtimeMs;
    const runs = tempDir();
    const r = await cli(bisectArgs(runs, '--good', '1.0', '--bad', '1.4', '--repeat', '2'), cleanEnv({ DEMO_COUNTER_FILE: path.join(tempDir(), 'calls') }));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^step 1: 1\.2: flaky \(1 of 2: pass: answer = 42\.0; 1 of 2: fail: numerical-mismatch .*\) \[differs from good\]/m);
    expect(r.stdout).toMatch(/^step 2: 1\.1: pass: .*\[same as good\]/m);
    expect(r.stdout).toContain("first version whose verdict differs from 1.0's: 1.2");
    expect(statSync(path.join(cache, venv12, 'ttprobe-venv.json')).mtimeMs).toBe(made);
  });

  it('re-checks a cached venv on reuse: one changed after caching is made again, not trusted (issue 22, item 17)', async () => {
    const venv13 = readdirSync(cache).find((d) => d.startsWith(`${PKG}-1.3-`) && !d.endsWith('.lock'))!;
    const python13 = path.join(cache, venv13, 'bin', 'python');
    await execa(VENV_PYTHON, ['-m', 'pip', '--python', python13, 'install', '--no-index', '--find-links', wheels, `${PKG}==1.0`]);
    const runs = tempDir();
    const r = await cli(bisectArgs(runs, '--good', '1.0', '--bad', '1.4'), cleanEnv({ DEMO_COUNTER_FILE: path.join(tempDir(), 'calls') }));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain("first version whose verdict differs from 1.0's: 1.3");
    const { stdout } = await execa(python13, ['-c', 'import importlib.metadata as m; print(m.version("ttprobe-bisect-demo"))']);
    expect(stdout.trim()).toBe('1.3');
  });

  it('exits 0 when good and bad give the same verdict', async () => {
    const r = await cli(bisectArgs(tempDir(), '--good', '1.0', '--bad', '1.1'), cleanEnv({ DEMO_COUNTER_FILE: path.join(tempDir(), 'calls') }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('1.1 gives the same verdict as 1.0: nothing to bisect');
  });

  it('refuses a version the index does not have, a bad --repeat and a missing --index, writing nothing', async () => {
    const runs = path.join(tempDir(), 'runs');
    const missing = await cli(bisectArgs(runs, '--good', '1.0', '--bad', '9.9'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`--bad 9.9: no such version of ${PKG} in the index (it has 1.4, 1.3, 1.2, 1.1, 1.0)`);
    const repeat = await cli(bisectArgs(runs, '--good', '1.0', '--bad', '1.4', '--repeat', '0'));
    expect(repeat.exitCode).toBe(2);
    expect(repeat.stderr).toContain("--repeat must be a whole number >= 1, got '0'");
    const noIndex = await cli([...bisectArgs(runs, '--good', '1.0', '--bad', '1.4'), '--index', path.join(runs, 'nowhere')]);
    expect(noIndex.exitCode).toBe(2);
    expect(noIndex.stderr).toContain('is neither a URL nor a directory of wheels');
    expect(existsSync(runs)).toBe(false);
  });
});
