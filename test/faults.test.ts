import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/classify/catalog.js';
import { Redactor, redactText, secretsOf } from '../src/environment/redact.js';
import { runMatrix } from '../src/run/orchestrate/run-matrix.js';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, CLI, cli, fakeDevice, FIXTURE_PROBES, onlyRunDir, readRecord, SNAPSHOTS, tempDir, VENV_PYTHON } from './helpers.js';

async function runFixtures(probes: string[], env: NodeJS.ProcessEnv = cleanEnv(), probesDir = FIXTURE_PROBES) {
  const { runDir, record } = await runMatrix({
    probesDir, runsDir: tempDir(), python: VENV_PYTHON, device: fakeDevice('cpu'), catalog: await loadCatalog(),
    filters: { probe: probes, stack: [], tag: [] }, env, lockDir: tempDir(), graceSeconds: 1,
  });
  return { runDir, record, one: (id: string) => record.outcomes.find((o) => o.probe === id)! };
}

const everyFile = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everyFile(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('fault suite', () => {
  it('records a probe SIGKILLed as the OOM killer would as a crash, and says what usually does that', async () => {
    const { one } = await runFixtures(['oom-killed']);
    expect(one('oom-killed')).toMatchObject({ status: 'crash', signal: 'SIGKILL' });
    expect(one('oom-killed').reason).toContain('out-of-memory killer');
  });

  it('fails a probe whose result file is empty', async () => {
    const { one } = await runFixtures(['empty-result']);
    expect(one('empty-result')).toMatchObject({ status: 'fail', resultProblem: 'result file is empty' });
  });

  it('keeps 2 GB of output to a capped log with head, tail and the cut marked, in bounded memory', async () => {
    const runs = tempDir();
    const { stderr, exitCode } = await execa('/usr/bin/time', ['-v', 'node', CLI, 'run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'huge-output', '--target', 'cpu', '--no-report'], {
      env: cleanEnv(), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(exitCode).toBe(0);
    const rssMb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)![1]) / 1024;
    expect(rssMb).toBeLessThan(400);
    const runDir = onlyRunDir(runs);
    const log = path.join(runDir, 'probes', 'huge-output', 'stdout.log');
    expect(statSync(log).size).toBeLessThan(48 * 1024 * 1024);
    const head = readFileSync(log).subarray(0, 11).toString();
    expect(head).toBe('FIRST LINE\n');
    const text = readFileSync(log, 'latin1');
    expect(text).toMatch(/\[ttprobe: \d+ bytes of output cut here; the last 8388608 bytes follow\]/);
    expect(text.endsWith('LAST LINE\n')).toBe(true);
    const record = readRecord(runDir);
    expect(record.outcomes[0]!.status).toBe('pass');
    expect(record.outcomes[0]!.notes.join()).toMatch(/stdout log capped: \d+ bytes cut/);
  });

  it('notices a probe that changes directory and writes outside its output folder, and keeps its temp files in', async () => {
    const probesDir = tempDir();
    cpSync(path.join(FIXTURE_PROBES, 'wanderer'), path.join(probesDir, 'wanderer'), { recursive: true });
    const { runDir, one } = await runFixtures(['wanderer'], cleanEnv(), probesDir);
    const o = one('wanderer');
    expect(o.status).toBe('pass');
    expect(o.notes).toContain(`wrote outside its output folder: ${path.join(runDir, 'stray.txt')}`);
    expect(o.notes).toContain(`wrote outside its output folder: ${path.join(probesDir, 'wanderer', 'stray-in-source.txt')}`);
    expect(String(o.result!.details.tmp).startsWith(path.join(runDir, 'probes', 'wanderer', 'tmp'))).toBe(true);
  });
});

describe('secrets', () => {
  const secretEnv = () => cleanEnv({ HF_TOKEN: 'hf_SeCrEtToKeN1234567890', MY_API_KEY: 'key-xyz-987654321' });

  it('never reach logs, run records or reports', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'leaky', '--target', 'cpu'], secretEnv());
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const files = everyFile(runDir);
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      expect(text, file).not.toContain('hf_SeCrEtToKeN1234567890');
      expect(text, file).not.toContain('key-xyz-987654321');
    }
    const stdout = readFileSync(path.join(runDir, 'probes', 'leaky', 'stdout.log'), 'utf8');
    expect(stdout).toBe('token is [REDACTED:HF_TOKEN] and key [REDACTED:MY_API_KEY]\n');
    const record = readRecord(runDir);
    expect(record.outcomes[0]!.result!.message).toBe('bad token [REDACTED:HF_TOKEN]');
  });

  it('never reach any file or the console when the probe writes them JSON-escaped (quotes, backslashes, control characters, \\u escapes)', async () => {
    const token = 'hf_"quo\\ted\u0001tok\u00e9n';
    const key = 'key-xyz-987654321';
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'leaky-json', '--target', 'cpu'], cleanEnv({ HF_TOKEN: token, MY_API_KEY: key }));
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const escapedForms = (s: string) => [
      s,
      JSON.stringify(s).slice(1, -1),
      JSON.stringify(s).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    ];
    const files = everyFile(runDir);
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    for (const [where, text] of [...files.map((f) => [f, readFileSync(f, 'utf8')]), ['console', r.stdout + r.stderr]]) {
      for (const form of [...escapedForms(token), ...escapedForms(key)]) expect(text, `${where} holds ${form}`).not.toContain(form);
    }
    const o = readRecord(runDir).outcomes[0]!;
    expect(o.result!.message).toBe('bad token [REDACTED:HF_TOKEN]');
    expect(o.result!.details).toEqual({ key: '[REDACTED:MY_API_KEY]', '[REDACTED:HF_TOKEN]': 'as a key' });
    expect(readFileSync(path.join(runDir, o.logs.stdout), 'utf8')).toBe('{"token": "[REDACTED:HF_TOKEN]"}\n');
  });

  it('are found by name, and caught when split across chunks', () => {
    const secrets = secretsOf({ HF_TOKEN: 'abcdefgh', DB_PASSWORD: 'hunter2hunter2', PATH: '/usr/bin', SHORT_KEY: '1' });
    expect(secrets.map((s) => s.name).sort()).toEqual(['DB_PASSWORD', 'HF_TOKEN']);
    const r = new Redactor(secrets);
    const out = Buffer.concat([r.push(Buffer.from('x abcd')), r.push(Buffer.from('efgh y hunter2')), r.push(Buffer.from('hunter2 z')), r.flush()]).toString();
    expect(out).toBe('x [REDACTED:HF_TOKEN] y [REDACTED:DB_PASSWORD] z');
    expect(redactText('abcdefgh', secrets)).toBe('[REDACTED:HF_TOKEN]');
  });
});

describe('bad input everywhere: file and field, exit 2, nothing written', () => {
  it('a malformed snapshot', async () => {
    const file = path.join(tempDir(), 'snap.json');
    writeFileSync(file, '{"device_info": "nope"}');
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--snapshot', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}: field 'device_info'`);
    expect(readdirSync(runs)).toEqual([]);
  });

  it('a malformed run record', async () => {
    const runDir = tempDir();
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ schemaVersion: 1, runId: 'x' }));
    const r = await cli(['report', runDir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/run\.json: field '\w+'/);
    expect(existsSync(path.join(runDir, 'report'))).toBe(false);
  });

  it('a catalog pattern that could backtrack catastrophically', async () => {
    const catalog = JSON.parse(readFileSync(path.join(SNAPSHOTS, '..', '..', 'catalog', 'known-errors.json'), 'utf8'));
    catalog.entries[0].patterns.push({ regex: '(a+)+b' });
    const file = path.join(tempDir(), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const r = await cli(['catalog', 'check', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}: field 'entries[0].patterns[1].regex': nested quantifiers`);
  });
});
