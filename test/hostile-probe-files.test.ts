import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cleanEnv, CLI, cli, onlyRunDir, readRecord, tempDir } from './helpers.js';

// What the runner reads from a probe's folder was written by the probe: a symlink there must not
// make it read or write elsewhere, and a FIFO must not make it wait.

const SECRET = 'hf_HoStIlEtOkEn987654321';

/** A probe that is a plain Python script (no probe library: it plants files the library would not). */
function writeProbe(probesDir: string, id: string, lines: string[], timeoutSeconds = 60): void {
  const dir = path.join(probesDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id, title: id, stack: 'tt-xla', workload: 'fixture', command: ['python', 'probe.py'], needsDevice: false, timeoutSeconds }));
  writeFileSync(path.join(dir, 'probe.py'), ['import json, os, sys, time', 'R = os.environ["TTPROBE_RESULT_FILE"]', 'OUT = os.environ["TTPROBE_OUTPUT_DIR"]', 'D = os.path.dirname(R)', ...lines].join('\n') + '\n');
}

const everyFile = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everyFile(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));

describe('files a probe plants where the runner reads', () => {
  it('follows no symlink: the result, stage and bring-up files and artifacts that point elsewhere are refused and noted, and the targets are untouched', async () => {
    const elsewhere = tempDir();
    const victim = path.join(elsewhere, 'victim.json');
    writeFileSync(victim, JSON.stringify({ protocol: 1, probe: 'link-result', status: 'pass', message: `token ${SECRET}` }));
    const stages = path.join(elsewhere, 'stages.txt');
    writeFileSync(stages, 'import\ncompile\n');
    const marker = path.join(elsewhere, 'marker.txt');
    writeFileSync(marker, 'TTMLIR_COMPILATION_START\n');
    const picture = path.join(elsewhere, 'private.png');
    writeFileSync(picture, 'not for the report');
    const before = { victim: readFileSync(victim, 'utf8'), ino: statSync(victim).ino };

    const probesDir = tempDir();
    writeProbe(probesDir, 'link-result', [
      `os.symlink(${JSON.stringify(victim)}, R)`,
      `os.symlink(${JSON.stringify(stages)}, os.environ["TTPROBE_STAGE_FILE"])`,
      `os.symlink(${JSON.stringify(marker)}, os.path.join(OUT, "._bringup_stage.txt"))`,
    ]);
    writeProbe(probesDir, 'link-artifact', [
      `os.symlink(${JSON.stringify(picture)}, os.path.join(OUT, "link.png"))`,
      'os.makedirs(os.path.join(OUT, "sub"))',
      `os.symlink(${JSON.stringify(elsewhere)}, os.path.join(OUT, "sub", "far"))`,
      'open(os.path.join(OUT, "real.png"), "wb").write(b"png")',
      'os.symlink("real.png", os.path.join(OUT, "alias.png"))',
      'arts = [{"path": p, "kind": "image"} for p in ["link.png", "sub/far/private.png", "real.png", "alias.png"]]',
      'json.dump({"protocol": 1, "probe": "link-artifact", "status": "pass", "placement": {"platform": "cpu", "device": "TFRT_CPU_0"}, "artifacts": arts}, open(R, "w"))',
    ]);
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu'], cleanEnv({ HF_TOKEN: SECRET }));
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    const one = (id: string) => record.outcomes.find((o) => o.probe === id)!;

    expect(readFileSync(victim, 'utf8')).toBe(before.victim);
    expect(statSync(victim).ino).toBe(before.ino);
    expect(one('link-result').result).toBeNull();
    expect(one('link-result').resultProblem).toMatch(/result file is a symbolic link; not followed/);
    expect(one('link-result').stages).toBeNull();
    expect(one('link-result').notes).toEqual(expect.arrayContaining([
      'stages.log is a symbolic link; not followed',
      '._bringup_stage.txt is a symbolic link; not followed',
    ]));

    const art = one('link-artifact');
    expect(art.status, JSON.stringify(art)).toBe('pass');
    expect(art.result!.artifacts.map((a) => a.path)).toEqual(['real.png', 'alias.png']);
    expect(art.notes).toEqual(expect.arrayContaining([
      "artifact 'link.png' dropped: it leads outside the probe's output folder",
      "artifact 'sub/far/private.png' dropped: it leads outside the probe's output folder",
    ]));
    const report = readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8');
    // The notes name the dropped ones; no link or image leads to them.
    expect(report).toMatch(/src="[^"]*real\.png"/);
    expect(report).not.toMatch(/(src|href)="[^"]*(link|private)\.png"/);
    for (const file of everyFile(runDir)) expect(readFileSync(file, 'latin1'), file).not.toContain(SECRET);
  });

  it('keeps only the bring-up markers tt-xla writes; any other text is an unrecognised marker and is stored nowhere', async () => {
    const probesDir = tempDir();
    writeProbe(probesDir, 'odd-marker', [
      'open(os.path.join(OUT, "._bringup_stage.txt"), "w").write("MY_DB_PASSWORD_IS_ORANGE42\\n")',
      'sys.exit(1)',
    ]);
    writeProbe(probesDir, 'real-marker', [
      'open(os.path.join(OUT, "._bringup_stage.txt"), "w").write("RUNTIME_EXECUTION_START\\n")',
      'sys.exit(1)',
    ]);
    const runs = tempDir();
    await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu'], cleanEnv());
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    const one = (id: string) => record.outcomes.find((o) => o.probe === id)!;
    expect(one('odd-marker').stages?.compiler).toEqual({ marker: 'unrecognised marker', stage: null });
    expect(one('real-marker').stages?.compiler).toEqual({ marker: 'RUNTIME_EXECUTION_START', stage: 'runtime' });
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runs, '--out', site])).exitCode).toBe(0);
    for (const file of [...everyFile(runDir), ...everyFile(site)]) {
      if (file.endsWith('._bringup_stage.txt')) continue;
      expect(readFileSync(file, 'latin1'), file).not.toContain('ORANGE42');
    }
  });

  it('opens no FIFO: a probe that plants them at every path the runner reads still ends at its timeout', async () => {
    const probesDir = tempDir();
    writeProbe(probesDir, 'fifos', [
      'os.mkfifo(R)',
      'os.mkfifo(os.environ["TTPROBE_STAGE_FILE"])',
      'os.mkfifo(os.path.join(OUT, "._bringup_stage.txt"))',
      'for log in ("stdout.log", "stderr.log"):',
      '    os.remove(os.path.join(D, log))',
      '    os.mkfifo(os.path.join(D, log))',
      'time.sleep(120)',
    ], 4);
    const runs = tempDir();
    const started = Date.now();
    // Killed after a minute, so a runner that hangs fails this test rather than the whole suite.
    const r = await execa('node', [CLI, 'run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu'], {
      env: cleanEnv(), extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000, killSignal: 'SIGKILL',
    });
    const seconds = (Date.now() - started) / 1000;
    expect(seconds, r.stderr).toBeLessThan(45);
    const runDir = onlyRunDir(runs);
    const o = readRecord(runDir).outcomes[0]!;
    expect(o.status, `${JSON.stringify(o)}\n${r.stderr}`).toBe('timeout');
    expect(o.resultProblem).toMatch(/result file is a FIFO, not a regular file; not read/);
    expect(o.notes).toEqual(expect.arrayContaining([
      'stages.log is a FIFO, not a regular file; not read',
      '._bringup_stage.txt is a FIFO, not a regular file; not read',
      'stdout.log was replaced by a FIFO, not a regular file; its output is lost',
      'stderr.log was replaced by a FIFO, not a regular file; its output is lost',
    ]));
    // Later readers (reclassify, report) find regular logs, not the FIFOs.
    expect(statSync(path.join(runDir, o.logs.stdout)).isFile()).toBe(true);
    const again = await cli(['reclassify', runDir], cleanEnv());
    expect(again.exitCode, again.stderr).toBe(0);
  });
});
