import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cli, onlyRunDir, tempDir, VENV_PYTHON } from './helpers.js';

// Secrets in the spellings a Python probe actually prints them, and config values kept out of records.

const everyFile = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everyFile(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));

function writeProbe(probesDir: string, id: string, lines: string[]): void {
  const dir = path.join(probesDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id, title: id, stack: 'tt-xla', workload: 'fixture', command: ['python', 'probe.py'], needsDevice: false, timeoutSeconds: 60 }));
  writeFileSync(path.join(dir, 'probe.py'), ['import json, os, sys', 'R = os.environ["TTPROBE_RESULT_FILE"]', ...lines].join('\n') + '\n');
}

describe('secrets in the forms Python writes them', () => {
  // A quote and a tab; the other also a single quote, a non-ASCII letter and a newline.
  const HF = 'hunter"2\t9zz';
  const DB = "pa'ss\"w\u00f6rd\n1x";

  it('repr(), ascii(), double-encoded JSON and the stages file: none reaches a log, the record, the reports or the console', async () => {
    const probesDir = tempDir();
    writeProbe(probesDir, 'reprs', [
      'forms = []',
      'for v in (os.environ["HF_TOKEN"], os.environ["DB_PASSWORD"]):',
      '    forms += [repr(v), ascii(v), repr(v.encode()), json.dumps(json.dumps(v)), json.dumps(json.dumps(json.dumps(v))), json.dumps(repr(v)), repr([v])]',
      'for f in forms: print("leak:", f)',
      'for f in forms: print("leak:", f, file=sys.stderr)',
      'open(os.environ["TTPROBE_STAGE_FILE"], "w").write("import\\n" + "\\n".join(forms) + "\\n")',
      'json.dump({"protocol": 1, "probe": "reprs", "status": "fail", "message": " ".join(forms), "details": {"f": forms}}, open(R, "w"))',
      'sys.exit(1)',
    ]);
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu', '--python', VENV_PYTHON], cleanEnv({ HF_TOKEN: HF, DB_PASSWORD: DB }));
    expect(r.exitCode, r.stderr).toBe(0);
    const runDir = onlyRunDir(runs);
    const stdout = readFileSync(path.join(runDir, 'probes', 'reprs', 'stdout.log'), 'utf8');
    expect(stdout).toContain("leak: '[REDACTED:HF_TOKEN]'");
    // The distinctive middles of every spelling: none may survive anywhere.
    const fragments = ['hunter', '2\\t9zz', '2\\\\t9zz', 'ss\\"w', "pa\\'ss", 'w\\xf6rd', 'w\\u00f6rd', 'w\u00f6rd', 'rd\\n1x', 'rd\\\\n1x'];
    const files = everyFile(runDir);
    expect(files.some((f) => f.endsWith('report.md'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const f of fragments) expect(text, `${file} holds ${f}`).not.toContain(f);
    }
    for (const f of fragments) expect(r.stdout + r.stderr).not.toContain(f);
  });
});

describe('config env values', () => {
  it('are recorded as digests, never as values, in run.json, the reports, a resume refusal and the site', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'ttprobe.config.json');
    const values = { GITHUB_PAT: 'ghp_plainTextValue000111', AUTH: 'Basic dXNlcjpwYXNz', SECRET_HEADER: 'X-Api: zzz-top-777' };
    writeFileSync(config, JSON.stringify({ stacks: { 'tt-xla': { python: VENV_PYTHON, env: values } } }));
    const probesDir = tempDir();
    writeProbe(probesDir, 'quiet', ['sys.exit(0)']);
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu', '--config', config], cleanEnv());
    const runDir = onlyRunDir(runs);
    const record = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    const env = record.options.stacks['tt-xla'].env as Record<string, string>;
    expect(Object.keys(env).sort(), r.stderr).toEqual(['AUTH', 'GITHUB_PAT', 'SECRET_HEADER']);
    for (const v of Object.values(env)) expect(v).toMatch(/^sha256:[0-9a-f]{16}$/);

    // A resume with one value changed is refused, and says so without either value (the run is
    // marked interrupted by hand, as a killed runner leaves it).
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ ...record, state: 'interrupted', finishedAt: null, durationS: null }));
    writeFileSync(config, JSON.stringify({ stacks: { 'tt-xla': { python: VENV_PYTHON, env: { ...values, AUTH: 'Basic b3RoZXI6cGFzcw==' } } } }));
    const resumed = await cli(['run', '--probes-dir', probesDir, '--resume', runDir, '--config', config], cleanEnv());
    expect(resumed.exitCode, resumed.stderr).toBe(2);
    expect(resumed.stderr).toMatch(/extra environment/);

    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runs, '--out', site])).exitCode).toBe(0);
    const secrets = [...Object.values(values), 'b3RoZXI6cGFzcw'];
    for (const file of [...everyFile(runDir), ...everyFile(site)]) {
      const text = readFileSync(file, 'utf8');
      for (const s of secrets) expect(text, file).not.toContain(s);
    }
    for (const s of secrets) expect(resumed.stderr + resumed.stdout).not.toContain(s);
  });
});
