import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, CLI, cli, FIXTURE_PROBES, onlyRunDir, readRecord, tempDir, until } from './helpers.js';

const journalLines = (runDir: string) => readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('the runner owns the journal and the record', () => {
  it('a probe that forges a journal line and rewrites another probe\'s log: the line is not counted, both changes are noted', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,tamperer', '--target', 'cpu', '--no-report'], cleanEnv());
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    expect(record.outcomes.map((o) => [o.probe, o.status])).toEqual([['pass', 'pass'], ['tamperer', 'fail']]);
    expect(record.outcomes.some((o) => o.reason === 'forged')).toBe(false);
    const notes = record.outcomes[1]!.notes;
    expect(notes).toContain(`while it ran, the runner's journal was changed by someone else: ${path.join(runDir, 'journal.jsonl')} (restored)`);
    expect(notes).toContain(`wrote outside its output folder: ${path.join(runDir, 'probes', 'pass', 'stdout.log')}`);
    expect(journalLines(runDir).map((l) => [l.probe, l.reason === 'forged'])).toEqual([['pass', false], ['tamperer', false]]);
  });

  it('notes nothing when well-behaved probes run side by side under --jobs', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'free-a,free-b,pass', '--target', 'cpu', '--jobs', '2', '--no-report'], cleanEnv());
    expect(r.exitCode).toBe(0);
    const record = readRecord(onlyRunDir(runs));
    expect(record.outcomes.map((o) => [o.probe, o.status, o.notes])).toEqual([['free-a', 'pass', []], ['free-b', 'pass', []], ['pass', 'pass', []]]);
  });

  it('--resume counts no journal line the runner did not write', async () => {
    const runs = tempDir();
    const marks = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: marks });
    const child = execa('node', [CLI, 'run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,slow', '--target', 'cpu', '--no-report'], {
      env: { ...env, FIXTURE_SLEEP: '60' }, extendEnv: false, reject: false, stdin: 'ignore',
    });
    await until(() => existsSync(path.join(marks, 'slow')));
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
    const runDir = onlyRunDir(runs);
    // What a probe could have appended before the runner died: a copy of a real line, claiming slow.
    const forged = { ...journalLines(runDir)[0], probe: 'slow', reason: 'forged' };
    appendFileSync(path.join(runDir, 'journal.jsonl'), JSON.stringify(forged) + '\n');

    const resumed = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--resume', runDir, '--no-report'], { ...env, FIXTURE_SLEEP: '0.1' });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain('journal.jsonl: ignored 1 line(s) the runner did not write');
    expect(readFileSync(path.join(marks, 'slow'), 'utf8').trim().split('\n')).toHaveLength(2);
    const record = readRecord(runDir);
    expect(record.outcomes.map((o) => [o.probe, o.reason === 'forged'])).toEqual([['pass', false], ['slow', false]]);
  });
});
