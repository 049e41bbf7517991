import { readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, tempDir } from './helpers.js';

// Bad input is exit 2 with the file named and nothing written, never exit 70 with a stack trace.

let runDir: string;

beforeAll(async () => {
  const runsDir = tempDir();
  const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'unknown-failure', '--target', 'cpu', '--no-report']);
  expect(r.exitCode, r.stderr).toBe(0);
  runDir = onlyRunDir(runsDir);
});

function expectBadInput(r: { exitCode?: number; stderr: string }, ...named: string[]) {
  expect(r.stderr).not.toContain('internal error');
  expect(r.exitCode, r.stderr).toBe(2);
  for (const text of named) expect(r.stderr).toContain(text);
}

describe('bad input is exit 2, naming the file', () => {
  it('classify given a folder', async () => {
    const dir = tempDir();
    expectBadInput(await cli(['classify', dir]), `${dir}: is a folder, not a log file`);
  });

  it('run --runs-dir naming a file, which is left as it was', async () => {
    const file = path.join(tempDir(), 'runs');
    writeFileSync(file, 'not a folder');
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', file, '--probe', 'pass', '--target', 'cpu', '--no-report']);
    expectBadInput(r, `--runs-dir ${file}: is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('report --out naming a file, or a path through one', async () => {
    const file = path.join(tempDir(), 'report');
    writeFileSync(file, 'not a folder');
    expectBadInput(await cli(['report', runDir, '--out', file]), `--out ${file}: is a file, not a folder`);
    expectBadInput(await cli(['report', runDir, '--out', path.join(file, 'html')]), `--out ${path.join(file, 'html')}: ${file} is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('reclassify of a run whose log is missing, leaving the record as it was', async () => {
    const record = readFileSync(path.join(runDir, 'run.json'), 'utf8');
    const { outcomes } = JSON.parse(record);
    const stderrLog = path.join(runDir, outcomes[0].logs.stderr);
    const saved = readFileSync(stderrLog);
    rmSync(stderrLog);
    try {
      expectBadInput(await cli(['reclassify', runDir]), `${path.join(runDir, 'run.json')}: field 'outcomes[0].logs.stderr'`, stderrLog);
      expect(readFileSync(path.join(runDir, 'run.json'), 'utf8')).toBe(record);
    } finally {
      writeFileSync(stderrLog, saved);
    }
  });
});

describe('symlinked probe folders', () => {
  it('are followed: a linked probe runs like any other', async () => {
    const probesDir = tempDir();
    symlinkSync(path.join(FIXTURE_PROBES, 'pass'), path.join(probesDir, 'pass'));
    symlinkSync(path.join(FIXTURE_PROBES, 'fixture_support.py'), path.join(probesDir, 'fixture_support.py'));
    const runsDir = tempDir();
    const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runsDir, '--target', 'cpu', '--no-report']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('run complete: 1 pass');
  });

  it('a link that leads nowhere is bad input, named', async () => {
    const probesDir = tempDir();
    symlinkSync(path.join(probesDir, 'gone'), path.join(probesDir, 'pass'));
    const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', tempDir(), '--target', 'cpu', '--no-report']);
    expectBadInput(r, `${path.join(probesDir, 'pass')}: a symlink to ${path.join(probesDir, 'gone')}, which cannot be read`);
  });
});

// Issue 22, item 19: these were exit 70 with a stack trace.
describe('bad input that was exit 70, now exit 2 naming the file', () => {
  it('catalog suggest --out naming a folder', async () => {
    const dir = tempDir();
    expectBadInput(await cli(['catalog', 'suggest', path.dirname(runDir), '--out', dir]), `--out ${dir}: is a folder, not a file`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('catalog eval --corpus naming a folder without labels.jsonl, or a file', async () => {
    const dir = tempDir();
    expectBadInput(await cli(['catalog', 'eval', '--corpus', dir]), `--corpus ${dir}: `, 'labels.jsonl');
    const file = path.join(tempDir(), 'corpus');
    writeFileSync(file, 'not a folder');
    expectBadInput(await cli(['catalog', 'eval', '--corpus', file]), `--corpus ${file}: is a file, not a folder`);
  });

  it('catalog eval --corpus whose labels.jsonl holds no label', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'labels.jsonl'), '\n');
    expectBadInput(await cli(['catalog', 'eval', '--corpus', dir]), `--corpus ${dir}: no labelled log in ${path.join(dir, 'labels.jsonl')}`);
  });

  it('classify given a FIFO: refused at once, never read (a reader would wait for a writer forever)', async () => {
    const fifo = path.join(tempDir(), 'log');
    await execa('mkfifo', [fifo]);
    // The bound only stops a hang from holding the suite for its whole timeout.
    const r = await execa('node', [CLI, 'classify', fifo], { env: cleanEnv(), extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    expectBadInput(r, `${fifo}: is a FIFO, not a log file`);
  });

  it('reclassify and report on a record nesting 200,000 deep', async () => {
    const runsDir = tempDir();
    const made = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'pass', '--target', 'cpu', '--no-report']);
    expect(made.exitCode, made.stderr).toBe(0);
    const deepRun = onlyRunDir(runsDir);
    const record = JSON.parse(readFileSync(path.join(deepRun, 'run.json'), 'utf8'));
    record.outcomes[0].result.details.deep = 'DEEP';
    const text = JSON.stringify(record).replace('"DEEP"', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    writeFileSync(path.join(deepRun, 'run.json'), text);
    expectBadInput(await cli(['reclassify', deepRun]), path.join(deepRun, 'run.json'));
    expect(readFileSync(path.join(deepRun, 'run.json'), 'utf8')).toBe(text);
    const out = path.join(tempDir(), 'report');
    expectBadInput(await cli(['report', deepRun, '--out', out]), path.join(deepRun, 'run.json'));
  });
});
