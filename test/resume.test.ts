import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { bootId, readProcStat } from '../src/run/safety/process-identity.js';
import { alive, cleanEnv, CLI, cli, FIXTURES, FIXTURE_PROBES, onlyRunDir, readRecord, startRun, tempDir, until } from './helpers.js';

const runArgs = (runsDir: string, ...rest: string[]) => ['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, ...rest];
const resumeArgs = (runDir: string) => ['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir, '--no-report'];

/** A run of pass and slow, interrupted with Ctrl-C while slow runs: pass is journalled, slow is left. */
async function interruptedRun(env: NodeJS.ProcessEnv) {
  const runsDir = tempDir();
  const child = startRun(runArgs(runsDir, '--probe', 'pass,slow', '--target', 'cpu', '--no-report'), { ...env, FIXTURE_SLEEP: '60' });
  await until(() => existsSync(path.join(env.FIXTURE_MARK_DIR!, 'slow')));
  child.kill('SIGINT');
  expect((await child).exitCode).toBe(130);
  const runDir = onlyRunDir(runsDir);
  expect(readRecord(runDir).outcomes.map((o) => o.probe)).toEqual(['pass']);
  return runDir;
}

describe('--resume on a run that is still alive', () => {
  it('refuses, naming the live runner, and leaves its probe and record alone (also two resumes at once)', async () => {
    const runsDir = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks, FIXTURE_SLEEP: '60' });
    const first = startRun(runArgs(runsDir, '--probe', 'pass,slow', '--target', 'cpu', '--no-report'), env);
    await until(() => existsSync(path.join(marks, 'slow')));
    const runDir = onlyRunDir(runsDir);
    const slowPid = Number(readFileSync(path.join(marks, 'slow'), 'utf8').trim());

    const [a, b] = await Promise.all([cli(resumeArgs(runDir), env), cli(resumeArgs(runDir), env)]);
    for (const r of [a, b]) {
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain(`run ${runDir} is in use by ttprobe pid ${first.pid} on `);
    }
    expect(alive(slowPid)).toBe(true);
    expect(readFileSync(path.join(marks, 'slow'), 'utf8').trim().split('\n')).toHaveLength(1);

    first.kill('SIGINT');
    expect((await first).exitCode).toBe(130);
    const record = readRecord(runDir);
    expect(record.state).toBe('interrupted');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass']);
  });
});

describe('--resume after a crash mid-write', () => {
  it('truncates a torn last journal line, keeps it aside, and appends the next outcome intact', async () => {
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks });
    const runDir = await interruptedRun(env);
    const journal = path.join(runDir, 'journal.jsonl');
    const torn = '{"probe":"slow","title":"takes a wh';
    appendFileSync(journal, torn);

    const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0.1' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`journal.jsonl ended in a torn line (${torn.length} bytes); kept in journal.torn`);
    const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l).probe)).toEqual(['pass', 'slow']);
    expect(readFileSync(path.join(runDir, 'journal.torn'), 'utf8')).toBe(torn);
    const record = readRecord(runDir);
    expect(record.state).toBe('complete');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass', 'slow']);
  });
});

describe('--resume and a process group id left by the killed runner', () => {
  it('ends the group only when the process is the one the runner started, and says why it left the others alone', async () => {
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks });
    const runDir = await interruptedRun(env);
    // Unrelated processes that now hold the stored ids, as after a reboot or pid reuse.
    const victims = [0, 1, 2].map(() => execa('sleep', ['120'], { detached: true, reject: false }));
    const [reused, rebooted, legacy] = victims.map((v) => v.pid!);
    const stat = readProcStat(reused!)!;
    const write = (probe: string, text: string) => {
      mkdirSync(path.join(runDir, 'probes', probe), { recursive: true });
      writeFileSync(path.join(runDir, 'probes', probe, 'inflight.pgid'), text);
    };
    write('slow', JSON.stringify({ pid: reused, startTicks: stat.startTicks - 1, bootId: bootId() }));
    write('ghost-a', JSON.stringify({ pid: rebooted, startTicks: readProcStat(rebooted!)!.startTicks, bootId: '00000000-0000-0000-0000-000000000000' }));
    write('ghost-b', String(legacy));
    try {
      const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0.1' });
      expect(r.exitCode).toBe(0);
      for (const pid of [reused, rebooted, legacy]) expect(alive(pid!)).toBe(true);
      expect(r.stderr).toContain(`left process group ${reused} (probe slow) alone: pid ${reused} now belongs to a process started later`);
      expect(r.stderr).toContain(`left process group ${rebooted} (probe ghost-a) alone: the machine has rebooted since`);
      expect(r.stderr).toContain(`left process group ${legacy} (probe ghost-b) alone: no process identity was recorded`);
      expect(r.stderr).not.toContain('ended the orphaned probe');
      expect(readRecord(runDir).state).toBe('complete');
    } finally {
      for (const v of victims) v.kill('SIGKILL');
    }
  });
});

describe('--resume over what a killed attempt left in its folder', () => {
  /** A run of painter whose runner is killed outright after the frames are painted; a stale pass result planted beside them. */
  async function killedPainter(env: NodeJS.ProcessEnv) {
    const runsDir = tempDir();
    const child = startRun(runArgs(runsDir, '--probe', 'painter', '--target', 'cpu', '--no-report'), { ...env, FIXTURE_SLEEP: '60' });
    await until(() => readdirSync(runsDir).length === 1 && existsSync(path.join(onlyRunDir(runsDir), 'probes', 'painter', 'out', 'frame-1.png')));
    child.kill('SIGKILL');
    await child;
    const runDir = onlyRunDir(runsDir);
    const folder = path.join(runDir, 'probes', 'painter');
    // As if the kill came after the probe wrote its result but before the runner journalled it.
    writeFileSync(path.join(folder, 'result.json'), JSON.stringify({
      protocol: 1, status: 'pass', placement: { platform: 'cpu', device: 'CPU_0' }, message: 'stale',
      artifacts: [{ path: 'frame-0.png', kind: 'image' }, { path: 'frame-1.png', kind: 'image' }],
    }));
    return runDir;
  }

  it.each([
    ['a stale result.json', { FIXTURE_QUIET: '1' }, /^exited 0 but probe wrote no result/],
    ['stale frames', { FIXTURE_NO_FRAMES: '1' }, /only 0 frame\(s\) painted/],
  ])('%s cannot make a pass; the old folder is kept aside and named', async (_what, mode, reason) => {
    const env = cleanEnv({ FIXTURE_MARK_DIR: tempDir() });
    const runDir = await killedPainter(env);
    const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0', ...mode });
    expect(r.exitCode).toBe(0);
    const note = "the interrupted run's folder probes/painter was moved aside to interrupted/painter-1 (kept for inspection, not read)";
    expect(r.stderr).toContain(note);
    const [o] = readRecord(runDir).outcomes;
    expect(o).toMatchObject({ probe: 'painter', status: 'fail' });
    expect(o!.reason).toMatch(reason);
    expect(o!.result?.artifacts ?? []).toEqual([]);
    expect(o!.notes).toContain(note);
    const kept = path.join(runDir, 'interrupted', 'painter-1');
    expect(JSON.parse(readFileSync(path.join(kept, 'result.json'), 'utf8')).message).toBe('stale');
    expect(readdirSync(path.join(kept, 'out')).sort()).toEqual(['frame-0.png', 'frame-1.png']);
    const fresh = path.join(runDir, 'probes', 'painter');
    expect(existsSync(path.join(fresh, 'result.json'))).toBe(!('FIXTURE_QUIET' in mode));
    expect(readdirSync(path.join(fresh, 'out')).filter((f) => f.startsWith('frame-'))).toHaveLength('FIXTURE_NO_FRAMES' in mode ? 0 : 2);
  });
});

describe('--resume and a stored process group whose leader is gone', () => {
  it('leaves a group alone when none of its processes carries the probe attempt\'s mark, and says so', async () => {
    const env = cleanEnv({ FIXTURE_MARK_DIR: tempDir() });
    const runDir = await interruptedRun(env);
    // A stranger's group with the stored id: its leader (setsid's shell) exits, its sleep lives on.
    const leader = await execa('setsid', ['sh', '-c', 'sleep 120 >/dev/null 2>&1 & echo $$'], { reject: false });
    const pgid = Number(leader.stdout.trim());
    const members = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => readProcStat(pid)?.pgrp === pgid && alive(pid));
    await until(() => members().length === 1);
    const [stranger] = members();
    writeFileSync(path.join(runDir, 'probes', 'slow', 'inflight.pgid'), JSON.stringify({ pid: pgid, startTicks: 1, bootId: bootId(), mark: 'a'.repeat(24) }));
    try {
      const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0.1' });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(alive(stranger!)).toBe(true);
      expect(r.stderr).toContain(`left process group ${pgid} (probe slow) alone: its leader is gone and none of its 1 process(es) carries this probe attempt's mark`);
      expect(r.stderr).not.toContain('ended the orphaned probe');
    } finally {
      process.kill(stranger!, 'SIGKILL');
    }
  });
});

describe('--resume on a runner stopped longer than a lock takes to go stale', () => {
  it('refuses while the stopped runner lives, and the runner finishes alone once continued', async () => {
    const runsDir = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks, FIXTURE_SLEEP: '3' });
    const first = startRun(runArgs(runsDir, '--probe', 'pass,slow', '--target', 'cpu', '--no-report'), env);
    await until(() => existsSync(path.join(marks, 'slow')));
    const runDir = onlyRunDir(runsDir);
    process.kill(first.pid!, 'SIGSTOP');
    try {
      // Past proper-lockfile's old 10 s stale time without a refresh.
      await new Promise((r) => setTimeout(r, 14_000));
      const r = await cli(resumeArgs(runDir), env);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr).toContain(`run ${runDir} is in use by ttprobe pid ${first.pid} on `);
    } finally {
      process.kill(first.pid!, 'SIGCONT');
    }
    const done = await first;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/ECOMPROMISED|Unhandled|uncaught/i);
    const record = readRecord(runDir);
    expect(record.state).toBe('complete');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass', 'slow']);
    expect(readFileSync(path.join(marks, 'slow'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

// Issue 22, items 2 and 20: the run lock is given back in one step, and taken away only by hand.
describe('the run lock at its edges', () => {
  it('a runner killed while giving the lock back after a complete record: --resume takes it at once and writes the report', async () => {
    const runsDir = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: tempDir() });
    const killed = await cli(runArgs(runsDir, '--probe', 'pass', '--target', 'cpu'), { ...env, NODE_OPTIONS: `--import=${path.join(FIXTURES, 'faults', 'kill-at-lock-release.mjs')}` });
    expect(killed.signal).toBe('SIGKILL');
    const runDir = onlyRunDir(runsDir);
    expect(readRecord(runDir).state).toBe('complete');
    expect(existsSync(path.join(runDir, 'report', 'index.html'))).toBe(false);
    // The lock went in one step: nothing is left that a resume would have to wait out.
    expect(existsSync(path.join(runDir, 'run.lock'))).toBe(false);

    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`run ${runDir} is already complete; nothing was run again`);
    expect(readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8')).toContain('pass');
  });

  it('a runner whose run lock is removed under it ends the run as interrupted (exit 130)', async () => {
    const runsDir = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks, FIXTURE_SLEEP: '60' });
    const first = startRun(runArgs(runsDir, '--probe', 'pass,slow', '--target', 'cpu', '--no-report'), env);
    await until(() => existsSync(path.join(marks, 'slow')));
    const runDir = onlyRunDir(runsDir);
    rmSync(path.join(runDir, 'run.lock'), { recursive: true });
    const done = await first;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain(`the lock ${path.join(runDir, 'run.lock')} was removed by someone else; ending the run and recording it as interrupted`);
    expect(done.stderr).not.toMatch(/ECOMPROMISED|Unhandled|uncaught/i);
    const record = readRecord(runDir);
    expect(record.state).toBe('interrupted');
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass']);
  });
});

// Issue 22, item 15: without its key a journal proves nothing, and a genuine line counts once.
describe('--resume on a journal someone else wrote to', () => {
  it('refuses (exit 2, naming run.key) when run.key was deleted and a forged line appended, and changes nothing', async () => {
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks });
    const runDir = await interruptedRun(env);
    const journal = path.join(runDir, 'journal.jsonl');
    const genuine = readFileSync(journal, 'utf8');
    const forged = { ...JSON.parse(genuine.split('\n')[0]!), probe: 'slow' };
    delete forged.mac;
    rmSync(path.join(runDir, 'run.key'));
    appendFileSync(journal, `${JSON.stringify(forged)}\n`);
    const before = readFileSync(journal, 'utf8');

    const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0.1' });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(path.join(runDir, 'run.key'));
    expect(readFileSync(journal, 'utf8')).toBe(before);
    expect(existsSync(path.join(marks, 'slow'))).toBe(true);
    expect(readFileSync(path.join(marks, 'slow'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readRecord(runDir).state).toBe('interrupted');
  });

  it('counts a re-appended signed line once', async () => {
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks });
    const runDir = await interruptedRun(env);
    const journal = path.join(runDir, 'journal.jsonl');
    appendFileSync(journal, readFileSync(journal, 'utf8'));

    const r = await cli(resumeArgs(runDir), { ...env, FIXTURE_SLEEP: '0.1' });
    expect(r.exitCode, r.stderr).toBe(0);
    const record = readRecord(runDir);
    expect(record.outcomes.map((o) => o.probe)).toEqual(['pass', 'slow']);
    expect(readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).probe)).toEqual(['pass', 'slow']);
  });
});

// Issue 22, item 20: a kill after run.json said complete but before the report was written.
describe('--resume on a complete run', () => {
  it('writes the report again instead of refusing', async () => {
    const runsDir = tempDir();
    const made = await cli(runArgs(runsDir, '--probe', 'pass', '--target', 'cpu', '--no-report'));
    expect(made.exitCode, made.stderr).toBe(0);
    const runDir = onlyRunDir(runsDir);
    expect(existsSync(path.join(runDir, 'report', 'index.html'))).toBe(false);
    // The lock went in one step: nothing is left that a resume would have to wait out.
    expect(existsSync(path.join(runDir, 'run.lock'))).toBe(false);
    const record = readFileSync(path.join(runDir, 'run.json'), 'utf8');

    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`run ${runDir} is already complete; nothing was run again`);
    expect(r.stdout).toContain(`report: ${path.join(runDir, 'report', 'index.html')}`);
    expect(readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8')).toContain('pass');
    expect(readFileSync(path.join(runDir, 'run.json'), 'utf8')).toBe(record);
  });
});
