import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '../src/schemas/device.js';
import { Config } from '../src/schemas/config.js';
import { validateDocument } from '../src/schemas/validate.js';
import { envDigest } from '../src/run/orchestrate/plan.js';
import { cleanEnv, cli, FIXTURE_PROBES, FIXTURES, onlyRunDir, readRecord, ROOT, tempDir, VENV_PYTHON } from './helpers.js';

const STACK_ENV_PROBES = path.join(FIXTURES, 'stack-env');

/**
 * A stand-in interpreter: logs the TT_METAL_HOME it was started with to `log`, marks its
 * probes with FIXTURE_INTERPRETER=name, and runs the probe venv's Python.
 */
function wrapper(dir: string, name: string): { python: string; log: string } {
  const python = path.join(dir, `${name}-python`);
  const log = path.join(dir, `${name}.log`);
  writeFileSync(python, `#!/bin/sh\necho "TT_METAL_HOME=\${TT_METAL_HOME-unset}" >> '${log}'\necho "TT_METAL_RUNTIME_ROOT=\${TT_METAL_RUNTIME_ROOT-unset}" >> '${log}.runtime-root'\nFIXTURE_INTERPRETER=${name} exec '${VENV_PYTHON}' "$@"\n`);
  chmodSync(python, 0o755);
  return { python, log };
}

/** A machine's config with a different interpreter per stack and a tt-metal checkout. */
function twoStackMachine() {
  const dir = tempDir('ttprobe-config-');
  const xla = wrapper(dir, 'xla');
  const metal = wrapper(dir, 'metal');
  const metalHome = path.join(dir, 'tt-metal');
  mkdirSync(metalHome);
  const config = path.join(dir, 'ttprobe.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      stacks: {
        // Relative to the config file, as a lab would write it next to its environments.
        'tt-xla': { python: './xla-python', env: { FIXTURE_STACK_VAR: 'for-xla' } },
        'tt-metal': { python: metal.python, ttMetalHome: 'tt-metal', env: { FIXTURE_STACK_VAR: 'for-metal', HF_TOKEN: 'hf_secret_value_123' } },
      },
      devices: 3,
    }),
  );
  return { dir, xla, metal, metalHome, config };
}

/**
 * The caller's shell has a tt-metal python_env activated (TT_METAL_HOME and LD_LIBRARY_PATH set) and
 * a TT_METAL_RUNTIME_ROOT, which TT-XLA's plugin would keep over its own bundled runtime.
 */
const leakyShell = () => cleanEnv({ TT_METAL_HOME: '/caller/tt-metal', LD_LIBRARY_PATH: '/caller/lib', TT_METAL_RUNTIME_ROOT: '/caller/tt-metal' });

const runArgs = (runsDir: string, ...rest: string[]) => ['run', '--probes-dir', STACK_ENV_PROBES, '--runs-dir', runsDir, '--target', 'cpu', '--no-report', ...rest];

function details(runDir: string) {
  const record = readRecord(runDir);
  const of = (id: string) => record.outcomes.find((o) => o.probe === id)!.result!.details as Record<string, string | null>;
  return { record, xla: of('env-xla'), metal: of('env-metal') };
}

describe('one config file, two stacks, two environments', () => {
  it("runs each stack's probes with its own interpreter and environment, and records them", async () => {
    const m = twoStackMachine();
    const runsDir = tempDir();
    const r = await cli(runArgs(runsDir, '--config', m.config), leakyShell());
    expect(r.exitCode, r.stderr).toBe(0);
    const { record, xla, metal } = details(onlyRunDir(runsDir));
    expect(record.outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);

    // TT-XLA: its own interpreter, without TT_METAL_HOME, LD_LIBRARY_PATH and TT_METAL_RUNTIME_ROOT although the caller had them.
    expect(xla).toMatchObject({ FIXTURE_INTERPRETER: 'xla', FIXTURE_STACK_VAR: 'for-xla', TT_METAL_HOME: null, LD_LIBRARY_PATH: null, TT_METAL_RUNTIME_ROOT: null, TTPROBE_DEVICES: '3' });
    // tt-metal: its own interpreter, the configured checkout as TT_METAL_HOME (over the caller's) and on PYTHONPATH.
    expect(metal).toMatchObject({ FIXTURE_INTERPRETER: 'metal', FIXTURE_STACK_VAR: 'for-metal', TT_METAL_HOME: m.metalHome });
    expect(metal.PYTHONPATH!.split(':')).toContain(m.metalHome);

    expect(record.options).toMatchObject({
      devices: 3,
      config: m.config,
      stacks: {
        // Names with digests of the values: a value is never stored, secret-looking name or not.
        'tt-xla': { python: m.xla.python, ttMetalHome: null, env: { FIXTURE_STACK_VAR: envDigest('FIXTURE_STACK_VAR', 'for-xla') } },
        'tt-metal': { python: m.metal.python, ttMetalHome: m.metalHome, env: { FIXTURE_STACK_VAR: envDigest('FIXTURE_STACK_VAR', 'for-metal'), HF_TOKEN: envDigest('HF_TOKEN', 'hf_secret_value_123') } },
      },
    });
    expect(readFileSync(path.join(onlyRunDir(runsDir), 'run.json'), 'utf8')).not.toContain('hf_secret_value_123');
    // Detection inspected each stack with its own interpreter and profile, too.
    expect(record.device.stacks['tt-xla'].interpreter).toMatchObject({ path: m.xla.python, starts: true });
    expect(record.device.stacks['tt-metal'].interpreter).toMatchObject({ path: m.metal.python, starts: true });
    expect(readFileSync(m.xla.log, 'utf8').trim().split('\n')).not.toContain(`TT_METAL_HOME=/caller/tt-metal`);
    expect(new Set(readFileSync(m.xla.log, 'utf8').trim().split('\n'))).toEqual(new Set(['TT_METAL_HOME=unset']));
    // Detection and the probe alike: TT-XLA's processes never get the caller's TT_METAL_RUNTIME_ROOT.
    expect(new Set(readFileSync(`${m.xla.log}.runtime-root`, 'utf8').trim().split('\n'))).toEqual(new Set(['TT_METAL_RUNTIME_ROOT=unset']));
    expect(new Set(readFileSync(m.metal.log, 'utf8').trim().split('\n'))).toEqual(new Set([`TT_METAL_HOME=${m.metalHome}`]));
  });

  it('lets --python and --devices override the config: PATH for every stack, STACK=PATH for one', async () => {
    const m = twoStackMachine();
    const other = wrapper(m.dir, 'other');
    const runsDir = tempDir();
    const r = await cli(runArgs(runsDir, '--config', m.config, '--python', VENV_PYTHON, '--python', `tt-metal=${other.python}`, '--devices', '2'), leakyShell());
    expect(r.exitCode, r.stderr).toBe(0);
    const { record, xla, metal } = details(onlyRunDir(runsDir));
    expect(xla).toMatchObject({ FIXTURE_INTERPRETER: null, executable: expect.stringContaining('.venv'), TTPROBE_DEVICES: '2' });
    expect(metal).toMatchObject({ FIXTURE_INTERPRETER: 'other', TT_METAL_HOME: m.metalHome });
    expect(record.options).toMatchObject({ devices: 2, python: VENV_PYTHON, stacks: { 'tt-xla': { python: VENV_PYTHON }, 'tt-metal': { python: other.python } } });
  });

  it('reads ./ttprobe.config.json by default, and applies its per-probe timeouts', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'ttprobe.config.json'), JSON.stringify({ timeouts: { hang: 1 } }));
    const runsDir = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'hang', '--target', 'cpu', '--no-report'], cleanEnv(), dir);
    expect(r.exitCode, r.stderr).toBe(0);
    const record = readRecord(onlyRunDir(runsDir));
    expect(record.outcomes[0]!.reason).toContain('no result within 1s');
    expect(record.options).toMatchObject({ timeouts: { hang: 1 }, config: path.join(dir, 'ttprobe.config.json') });
  });

  it('stores in run.json only the timeouts of the probes it plans, and resumes with the same config (issue 22, item 21)', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'ttprobe.config.json');
    writeFileSync(config, JSON.stringify({ timeouts: { hang: 1, pass: 50, slow: 60, 'not-a-probe': 3 } }));
    const runsDir = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'hang,pass', '--target', 'cpu', '--no-report', '--config', config], cleanEnv());
    expect(r.exitCode, r.stderr).toBe(0);
    const runDir = onlyRunDir(runsDir);
    expect(readRecord(runDir).options.timeouts).toEqual({ hang: 1, pass: 50 });
    // Resuming compares the planned probes' timeouts only: the same config is the same settings.
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ ...readRecord(runDir), state: 'interrupted' }));
    const resumed = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir, '--no-report', '--config', config], cleanEnv());
    expect(resumed.exitCode, resumed.stderr).toBe(0);
  });
});

describe('detect with the config', () => {
  it('reports per stack the interpreter, whether it starts and its versions, each inspected with its own profile', async () => {
    const m = twoStackMachine();
    const broken = path.join(m.dir, 'broken-python');
    writeFileSync(broken, '#!/bin/sh\necho "libpython3.11.so.1.0: cannot open shared object file" >&2\nexit 127\n');
    chmodSync(broken, 0o755);
    const ok = await cli(['detect', '--json', '--config', m.config], leakyShell());
    expect(ok.exitCode, ok.stderr).toBe(0);
    const report = DeviceReport.parse(JSON.parse(ok.stdout));
    expect(report.stacks['tt-xla'].interpreter).toEqual({
      path: m.xla.python,
      from: `${m.config}: stacks.tt-xla.python`,
      starts: true,
      version: expect.stringMatching(/^3\.\d+\.\d+/),
      error: null,
    });
    expect(report.stacks['tt-xla'].versions).toMatchObject({ jax: '0.7.1' });
    expect(report.stacks['tt-metal'].interpreter).toMatchObject({ path: m.metal.python, starts: true });
    expect(report.stacks['tt-metal'].versions).toMatchObject({ ttMetalHome: m.metalHome });
    expect(readFileSync(m.xla.log, 'utf8').trim()).toBe('TT_METAL_HOME=unset');
    expect(readFileSync(m.metal.log, 'utf8').trim()).toBe(`TT_METAL_HOME=${m.metalHome}`);

    const text = await cli(['detect', '--config', m.config, '--python', `tt-metal=${broken}`], leakyShell());
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`  interpreter: ${m.xla.python} (from ${m.config}: stacks.tt-xla.python): starts, Python 3.`);
    expect(text.stdout).toContain(`tt-metal: not usable (its interpreter ${broken} cannot start (libpython3.11.so.1.0: cannot open shared object file))`);
  });
});

describe('a bad config or interpreter is bad input: exit 2, named, nothing written', () => {
  function expectRefused(r: { exitCode?: number; stderr: string }, runsDir: string, ...named: string[]) {
    expect(r.stderr).not.toContain('internal error');
    expect(r.exitCode, r.stderr).toBe(2);
    for (const text of named) expect(r.stderr).toContain(text);
    expect(existsSync(runsDir) ? readdirSync(runsDir) : []).toEqual([]);
  }

  it.each([
    ['a wrong type', { devices: '2' }, "'devices' must be integer"],
    ['an unknown stack', { stacks: { 'tt-torch': { python: 'python3' } } }, "'stacks.tt-torch' is not a known field"],
    ['an unknown key', { timeout: { 'jax-dot': 60 } }, "'timeout' is not a known field"],
    ['a key of the other stack', { stacks: { 'tt-xla': { ttMetalHome: '/opt/tt-metal' } } }, "'stacks.tt-xla.ttMetalHome' is not a known field"],
    ['a bad variable name', { stacks: { 'tt-metal': { env: { 'MY-VAR': '1' } } } }, "'stacks.tt-metal.env.MY-VAR' is not an allowed name"],
    ['TT_METAL_HOME for TT-XLA', { stacks: { 'tt-xla': { env: { TT_METAL_HOME: '/opt/tt-metal' } } } }, "field 'stacks.tt-xla.env.TT_METAL_HOME': TT-XLA probes always run without TT_METAL_HOME"],
    ['TT_METAL_RUNTIME_ROOT for TT-XLA', { stacks: { 'tt-xla': { env: { TT_METAL_RUNTIME_ROOT: '/opt/tt-metal' } } } }, "field 'stacks.tt-xla.env.TT_METAL_RUNTIME_ROOT': TT-XLA probes always run without"],
  ])('%s', async (_what, config, message) => {
    const file = path.join(tempDir(), 'ttprobe.config.json');
    writeFileSync(file, JSON.stringify(config));
    const runsDir = path.join(tempDir(), 'runs');
    expectRefused(await cli(runArgs(runsDir, '--config', file)), runsDir, `${file}: `, message);
    expectRefused(await cli(['detect', '--config', file]), runsDir, `${file}: `, message);
  });

  it('a config that is not JSON, or not there', async () => {
    const file = path.join(tempDir(), 'ttprobe.config.json');
    writeFileSync(file, '{ "devices": 2, }');
    const runsDir = path.join(tempDir(), 'runs');
    expectRefused(await cli(runArgs(runsDir, '--config', file)), runsDir, `${file}: not valid JSON`);
    expectRefused(await cli(runArgs(runsDir, '--config', '/nonexistent/ttprobe.config.json')), runsDir, '/nonexistent/ttprobe.config.json');
  });

  it('a config over the size bound, and a NUL in an env value, named (issue 22, item 21)', async () => {
    const big = path.join(tempDir(), 'ttprobe.config.json');
    const timeouts = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`probe-${i}`, 30]));
    writeFileSync(big, JSON.stringify({ timeouts }));
    const runsDir = path.join(tempDir(), 'runs');
    expectRefused(await cli(runArgs(runsDir, '--config', big)), runsDir, `${big}: `, 'bytes, over the 1048576-byte limit');
    const nul = path.join(tempDir(), 'ttprobe.config.json');
    writeFileSync(nul, JSON.stringify({ stacks: { 'tt-xla': { env: { WIDGET_MODE: 'a\u0000b' } } } }));
    expectRefused(await cli(runArgs(runsDir, '--config', nul)), runsDir, `${nul}: field 'stacks.tt-xla.env.WIDGET_MODE': `, 'NUL');
  });

  it('an interpreter that does not exist, named with its stack and config field, before any probe runs', async () => {
    const m = twoStackMachine();
    const config = JSON.parse(readFileSync(m.config, 'utf8'));
    config.stacks['tt-metal'].python = './envs/tt-metal/bin/python';
    writeFileSync(m.config, JSON.stringify(config));
    const runsDir = tempDir();
    const r = await cli(runArgs(runsDir, '--config', m.config), leakyShell());
    expectRefused(r, runsDir, `${m.config}: field 'stacks.tt-metal.python': the tt-metal stack's interpreter ${path.join(m.dir, 'envs/tt-metal/bin/python')} does not exist`);
    // Only the stacks that will run need an interpreter.
    const xlaOnly = await cli(runArgs(runsDir, '--config', m.config, '--stack', 'tt-xla'), leakyShell());
    expect(xlaOnly.exitCode, xlaOnly.stderr).toBe(0);
  });

  it('an interpreter that cannot start, given by a flag', async () => {
    const dir = tempDir();
    const broken = path.join(dir, 'python');
    writeFileSync(broken, '#!/bin/sh\necho "error while loading shared libraries: libpython3.11.so.1.0" >&2\nexit 127\n');
    chmodSync(broken, 0o755);
    const runsDir = tempDir();
    expectRefused(
      await cli(runArgs(runsDir, '--python', `tt-xla=${broken}`)),
      runsDir,
      `the tt-xla stack's interpreter ${broken} cannot start (error while loading shared libraries: libpython3.11.so.1.0) (from --python tt-xla=${broken})`,
    );
    expectRefused(await cli(runArgs(runsDir, '--python', 'tt-torch=/usr/bin/python3')), runsDir, "--python tt-torch=/usr/bin/python3: unknown stack 'tt-torch'");
  });

  it('an interpreter that prints garbage instead of answering, named (issue 22, item 18)', async () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'python');
    writeFileSync(garbage, '#!/bin/sh\nhead -c 100000 /dev/zero | tr "\\0" "x"\necho\nexit 0\n');
    chmodSync(garbage, 0o755);
    const runsDir = tempDir();
    expectRefused(await cli(runArgs(runsDir, '--python', `tt-xla=${garbage}`)), runsDir, `the tt-xla stack's interpreter ${garbage} does not answer as a Python interpreter`);
  });

  it('a resume with other interpreters than the run started with', async () => {
    const m = twoStackMachine();
    const runsDir = tempDir();
    expect((await cli(runArgs(runsDir, '--config', m.config), leakyShell())).exitCode).toBe(0);
    const runDir = onlyRunDir(runsDir);
    const record = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ ...record, state: 'interrupted' }));
    const before = readFileSync(path.join(runDir, 'run.json'), 'utf8');
    const r = await cli(['run', '--probes-dir', STACK_ENV_PROBES, '--resume', runDir, '--python', VENV_PYTHON], leakyShell());
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`tt-xla interpreter ${m.xla.python} -> ${VENV_PYTHON}`);
    expect(readFileSync(path.join(runDir, 'run.json'), 'utf8')).toBe(before);
  });
});

describe('the config format', () => {
  it("the README's example config is valid", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const example = /<!-- config example -->\s*```json\n([^`]+)```/.exec(readme);
    expect(example, 'README has a config example').not.toBeNull();
    const config = await validateDocument(Config, JSON.parse(example![1]!), 'README.md');
    expect(Object.keys(config.stacks ?? {}).sort()).toEqual(['tt-metal', 'tt-xla']);
  });

  it('an older run record, made before per-stack settings, still loads and renders', async () => {
    const runsDir = tempDir();
    expect((await cli(runArgs(runsDir, '--python', VENV_PYTHON))).exitCode).toBe(0);
    const runDir = onlyRunDir(runsDir);
    const record = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    delete record.options.stacks;
    delete record.options.timeouts;
    delete record.options.config;
    for (const stack of Object.values(record.device.stacks) as Array<Record<string, unknown>>) delete stack.interpreter;
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(record));
    expect(readRecord(runDir).options.stacks).toBeUndefined();
    const report = await cli(['report', runDir, '--format', 'md']);
    expect(report.exitCode, report.stderr).toBe(0);
  });
});

describe('the nightly workflow', () => {
  const workflow = () => parseYaml(readFileSync(path.join(ROOT, '.github', 'workflows', 'nightly.yml'), 'utf8'));
  type Step = { name: string; run?: string };

  it("runs with the tier's config and its device count", () => {
    const job = workflow().jobs.probe;
    expect(job.env.TTPROBE_CONFIG).toContain('${{ matrix.tier }}');
    const devices = Object.fromEntries(job.strategy.matrix.include.map((i: { tier: string; devices: number }) => [i.tier, i.devices]));
    expect(devices).toEqual({ n150: 1, n300: 2, t3k: 8, galaxy: 32, p100: 1, p150: 1, p300: 2 });
    const runs = (job.steps as Step[]).map((s) => s.run ?? '').filter((r) => /ttprobe\.js (run|detect)/.test(r));
    for (const r of runs) for (const line of r.split('\n').filter((l) => l.includes('ttprobe.js'))) expect(line).toContain('--config "$TTPROBE_CONFIG"');
    expect(runs.join('\n')).toContain('--devices ${{ matrix.devices }}');
  });

  it('fails the night when a stack was not usable, naming it and why', async () => {
    const step = (workflow().jobs.probe.steps as Step[]).find((s) => s.name === 'Require both stacks to have been usable')!;
    const runnerTemp = tempDir();
    const detectJson = await cli(['detect', '--json']);
    writeFileSync(path.join(runnerTemp, 'detect.json'), detectJson.stdout);
    const here = await execa('bash', ['-c', step.run!], { env: { ...cleanEnv(), RUNNER_TEMP: runnerTemp }, reject: false });
    expect(here.exitCode).toBe(1);
    expect(here.stdout).toMatch(/::error::tt-metal was not usable: (?:ttnn is installed but )?TT_METAL_HOME is not set/);
    const report = JSON.parse(detectJson.stdout);
    for (const s of Object.values(report.stacks) as Array<{ usable: boolean }>) s.usable = true;
    writeFileSync(path.join(runnerTemp, 'detect.json'), JSON.stringify(report));
    expect((await execa('bash', ['-c', step.run!], { env: { ...cleanEnv(), RUNNER_TEMP: runnerTemp }, reject: false })).exitCode).toBe(0);
  });
});
