import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { alive, cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, readRecord, tempDir } from './helpers.js';

describe('a probe that leaves a process in its own session holding stdout open', () => {
  it("gets its own verdict, and the escaped process is found, ended and noted", async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'escapee', '--target', 'cpu', '--no-report'], cleanEnv());
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    const o = record.outcomes[0]!;
    expect(o).toMatchObject({ status: 'pass', exitCode: 0 });
    const pid = Number(readFileSync(path.join(runDir, 'probes', 'escapee', 'out', 'escapee.pid'), 'utf8'));
    expect(o.notes.join('\n')).toMatch(new RegExp(`ended 1 process that had left the probe's process group: pid ${pid} \\(.*python`));
    expect(readFileSync(path.join(runDir, o.logs.stdout), 'utf8')).toBe('started a helper\n');
    expect(alive(pid)).toBe(false);
  });

  it('one that also dropped its environment: the output is cut off after a short drain, the verdict is still the probe\'s own', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'escapee', '--target', 'cpu', '--no-report'], cleanEnv({ FIXTURE_ESCAPEE_BARE_ENV: '1' }));
    const runDir = onlyRunDir(runs);
    const pid = Number(readFileSync(path.join(runDir, 'probes', 'escapee', 'out', 'escapee.pid'), 'utf8'));
    try {
      expect(r.exitCode).toBe(0);
      const o = readRecord(runDir).outcomes[0]!;
      expect(o).toMatchObject({ status: 'pass', exitCode: 0 });
      expect(o.notes).toContain('output was still held open after the probe exited, by a process outside its group that could not be found; stopped reading it');
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
