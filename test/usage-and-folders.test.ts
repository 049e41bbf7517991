import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

function runsFolder(): string {
  const runs = tempDir();
  writeRun(runs, record({ runId: 'night-a', startedAt: '2026-08-01T01:00:00.000Z', outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] }));
  writeRun(runs, record({ runId: 'night-b', startedAt: '2026-08-02T01:00:00.000Z', outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] }));
  return runs;
}

describe('a folder that is not what the command takes', () => {
  it('report RUNS_DIR says it is a folder of runs and names the runs inside', async () => {
    const runs = runsFolder();
    const r = await cli(['report', runs]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${runs} is a folder of runs, not a run: it holds 2 run(s): night-a, night-b`);
    expect(r.stderr).toContain(`ttprobe report ${path.join(runs, 'night-b')}`);
  });

  it('history and site on a folder with no runs say so and exit 2, writing nothing', async () => {
    const empty = tempDir();
    const h = await cli(['history', empty]);
    expect(h.exitCode).toBe(2);
    expect(h.stderr).toContain(`no runs under ${empty}`);
    const out = path.join(tempDir(), 'not-yet', 'site');
    const s = await cli(['site', empty, '--out', out]);
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toContain(`no runs under ${empty}`);
    expect(existsSync(path.dirname(out))).toBe(false);
  });
});

describe('usage mistakes', () => {
  it('a mistyped flag gets the suggestion and one usage line, not the whole help', async () => {
    const r = await cli(['run', '--tga', 'smoke']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--tga'");
    expect(r.stderr).toContain('(Did you mean --tag?)');
    expect(r.stderr).toContain('Usage: ttprobe run [options]');
    expect(r.stderr).not.toContain('--wait-lock');
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(4);
  });

  it('site with no arguments names the missing runs folder first', async () => {
    const r = await cli(['site']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("missing required argument 'runsDir'");
    expect(r.stderr).not.toContain('--out');
  });

  it('a broken config file is named with its line and column; an unknown key gets the nearest known one', async () => {
    const dir = tempDir();
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "devices": 2\n  "timeouts": {}\n}\n');
    const b = await cli(['detect', '--config', broken]);
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toContain(`${broken}: not valid JSON`);
    expect(b.stderr).toContain('line 3, column 3');
    const typo = path.join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ device: 2 }));
    const t = await cli(['detect', '--config', typo]);
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toContain("'device' is not a known field (did you mean devices?)");
  });
});

