import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { alive, cleanEnv, CLI, FIXTURE_PROBES, onlyRunDir, readRecord, tempDir, until } from './helpers.js';

/** A run whose probe ignores SIGTERM, started and waited for until the probe is up. */
async function stubbornRun() {
  const runs = tempDir();
  const marks = tempDir();
  const child = execa('node', [CLI, 'run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,stubborn', '--target', 'cpu'], {
    env: cleanEnv({ FIXTURE_MARK_DIR: marks }), extendEnv: false, reject: false, stdin: 'ignore',
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += String(c)));
  await until(() => existsSync(path.join(marks, 'stubborn')));
  const probePid = Number(readFileSync(path.join(marks, 'stubborn'), 'utf8').trim());
  return { child, runs, probePid, stderr: () => stderr };
}

async function expectClosedAsInterrupted(runs: string, probePid: number, exitCode: number | undefined) {
  expect(exitCode).toBe(130);
  const runDir = onlyRunDir(runs);
  const record = readRecord(runDir);
  expect(record.state).toBe('interrupted');
  expect(record.outcomes.map((o) => o.probe)).toEqual(['pass']);
  expect(readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8')).toContain('interrupted');
  expect(alive(probePid)).toBe(false);
}

describe('interrupting a run whose probe ignores SIGTERM', () => {
  it('a second Ctrl-C kills the probe group at once, and the run is still closed as interrupted with its report', async () => {
    const { child, runs, probePid, stderr } = await stubbornRun();
    child.kill('SIGINT');
    await until(() => stderr().includes('Ctrl-C again'));
    child.kill('SIGINT');
    const { exitCode } = await child;
    expect(stderr()).toContain('killing the running probe now');
    await expectClosedAsInterrupted(runs, probePid, exitCode);
  });

  it('SIGHUP (the terminal closed) is handled like SIGTERM: the group is ended and the run closed as interrupted', async () => {
    const { child, runs, probePid } = await stubbornRun();
    child.kill('SIGHUP');
    const { exitCode } = await child;
    await expectClosedAsInterrupted(runs, probePid, exitCode);
  });
});
