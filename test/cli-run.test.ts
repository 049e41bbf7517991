import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { alive, cleanEnv, CLI, cli, FIXTURE_PROBES, readRecord, SNAPSHOTS, startRun, tempDir, until } from './helpers.js';

const runArgs = (runsDir: string, ...rest: string[]) => ['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, ...rest];
const onlyRun = (runsDir: string) => {
  const dirs = readdirSync(runsDir);
  expect(dirs).toHaveLength(1);
  return path.join(runsDir, dirs[0]!);
};
const journalIds = (runDir: string) =>
  existsSync(path.join(runDir, 'journal.jsonl'))
    ? readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).probe as string)
    : [];

describe('ttprobe run from the command line', () => {
  it('runs, prints where the record and report are, and writes a valid record', async () => {
    const runsDir = tempDir();
    const { exitCode, stdout, stderr } = await cli(runArgs(runsDir, '--probe', 'pass,fail-legalize', '--target', 'cpu'));
    expect(exitCode).toBe(0);
    const runDir = onlyRun(runsDir);
    expect(stdout).toContain(`run record: ${path.join(runDir, 'run.json')}`);
    expect(stdout).toContain(`report: ${path.join(runDir, 'report', 'index.html')}`);
    expect(stdout).toContain('run complete: 1 pass, 1 fail');
    expect(stderr).toMatch(/\[2\/2\] pass +pass/);
    const record = readRecord(runDir);
    expect(record.fingerprint.jax).toBe('0.7.1');
    expect(existsSync(path.join(runDir, 'report', 'junit.xml'))).toBe(true);
  });

  it('loses nothing when the runner is SIGKILLed half-way, and --resume finishes only what was left', async () => {
    const runsDir = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks, FIXTURE_SLEEP: '30' });
    const first = startRun(runArgs(runsDir, '--probe', 'pass,slow,cpu-placed', '--target', 'cpu'), env);
    await until(() => readdirSync(runsDir).length === 1 && existsSync(path.join(marks, 'slow')));
    const runDir = onlyRun(runsDir);
    first.kill('SIGKILL');
    await first;
    expect(journalIds(runDir).sort()).toEqual(['cpu-placed', 'pass']);
    const orphan = Number(readFileSync(path.join(marks, 'slow'), 'utf8').trim());

    const resumed = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir], { ...env, FIXTURE_SLEEP: '0.1' });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain('ended the orphaned probe slow');
    const record = readRecord(runDir);
    expect(record.state).toBe('complete');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['cpu-placed', 'pass', 'slow']);
    expect(readFileSync(path.join(marks, 'pass'), 'utf8')).toBe('ran\n');
    expect(readFileSync(path.join(marks, 'slow'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(alive(orphan)).toBe(false);
  });

  it('on Ctrl-C ends the running probe, records the run as interrupted and still renders the report', async () => {
    const runsDir = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks, FIXTURE_SLEEP: '60' });
    const child = startRun(runArgs(runsDir, '--probe', 'pass,slow', '--target', 'cpu'), env);
    await until(() => existsSync(path.join(marks, 'slow')));
    const slowPid = Number(readFileSync(path.join(marks, 'slow'), 'utf8').trim());
    child.kill('SIGINT');
    const { exitCode, stdout } = await child;
    expect(exitCode).toBe(130);
    const runDir = onlyRun(runsDir);
    const record = readRecord(runDir);
    expect(record.state).toBe('interrupted');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass']);
    expect(stdout).toContain('run interrupted');
    expect(readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8')).toContain('interrupted');
    expect(alive(slowPid)).toBe(false);
  });

  it('refuses a second run on the same device with a clear message, or waits for it with --wait-lock', async () => {
    const lockDir = tempDir();
    // The first run holds the device until the test ends it, however slowly the others start.
    const env = cleanEnv({ TTPROBE_LOCK_DIR: lockDir, FIXTURE_SLEEP: '300' });
    const snapshot = path.join(SNAPSHOTS, 'n150.json');
    const first = startRun(runArgs(tempDir(), '--probe', 'slow', '--snapshot', snapshot), env);
    await until(() => readdirSync(lockDir).some((f) => f.endsWith('.device.lock')));
    const refusedRuns = tempDir();
    const refused = await cli(runArgs(refusedRuns, '--probe', 'pass', '--snapshot', snapshot), env);
    expect(refused.exitCode, refused.stderr + refused.stdout).toBe(3);
    expect(readdirSync(refusedRuns)).toEqual([]);
    expect(refused.stderr).toMatch(/device PCI 0000:04:00\.0 is in use by ttprobe pid \d+ .* pass --wait-lock SECONDS/);
    const waiting = startRun(runArgs(tempDir(), '--probe', 'pass', '--snapshot', snapshot, '--wait-lock', '600'), env);
    let said = '';
    waiting.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    await until(() => said.includes('waiting for the device lock held by ttprobe pid'), 300_000);
    first.kill('SIGINT');
    expect((await first).exitCode).toBe(130);
    const waited = await waiting;
    expect(waited.exitCode, waited.stderr).toBe(0);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const lockDir = tempDir();
    const lock = path.join(lockDir, 'tt-pci-0000:04:00.0.device.lock');
    mkdirSync(lock, { recursive: true });
    writeFileSync(path.join(lockDir, 'tt-pci-0000:04:00.0.device'), '');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    const { exitCode } = await cli(runArgs(tempDir(), '--probe', 'pass', '--snapshot', path.join(SNAPSHOTS, 'n150.json')), cleanEnv({ TTPROBE_LOCK_DIR: lockDir }));
    expect(exitCode).toBe(0);
  });

  it.each([
    [['--target', 'nope'], /--target/],
    [['--probe', 'no-such-probe'], /unknown probe 'no-such-probe'; known probes: /],
    [['--shard', '3/2'], /--shard must be i\/n/],
    [['--catalog', path.join(FIXTURE_PROBES, 'pass', 'probe.json')], /probe\.json: .*'version' is required/],
  ])('exits 2 on bad usage %j and writes nothing', async (args, message) => {
    const runsDir = tempDir();
    const { exitCode, stderr } = await cli(runArgs(runsDir, ...args));
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('exits 2 naming file and field for a bad manifest, before writing anything', async () => {
    const probesDir = tempDir();
    mkdirSync(path.join(probesDir, 'bad'));
    writeFileSync(path.join(probesDir, 'bad', 'probe.json'), JSON.stringify({ id: 'bad', title: 'b', stack: 'tt-xla', workload: 'w', command: ['x'], timeoutSeconds: 'soon' }));
    const runsDir = tempDir();
    const { exitCode, stderr } = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runsDir]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`${path.join(probesDir, 'bad', 'probe.json')}: 'timeoutSeconds'`);
    expect(readdirSync(runsDir)).toEqual([]);
  });
});
