import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cli, onlyRunDir, readRecord, tempDir } from './helpers.js';

/**
 * The run-directory guard watches what finished probes left (it no longer re-walks the whole run folder
 * after each probe): these probes write where they should not after others have finished, and fill
 * their own folder past what the guard walks.
 */

/** A probe whose body (Python, with `run_dir` and `out` defined) runs before it writes a pass result. */
function probe(probesDir: string, id: string, body: string[] = []): void {
  const dir = path.join(probesDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id, title: id, stack: 'tt-xla', workload: 'fixture', command: ['python', 'probe.py'], timeoutSeconds: 60 }));
  writeFileSync(path.join(dir, 'probe.py'), [
    'import json, os',
    "out = os.environ['TTPROBE_OUTPUT_DIR']",
    'run_dir = os.path.dirname(os.path.dirname(os.path.dirname(out)))',
    ...body,
    "with open(os.environ['TTPROBE_RESULT_FILE'], 'w') as f:",
    "    json.dump({'protocol': 1, 'status': 'pass', 'placement': {'platform': 'cpu', 'device': 'cpu'}}, f)",
  ].join('\n') + '\n');
}

const runArgs = (probesDir: string, runs: string) => ['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu', '--python', 'python3', '--no-report'];
const notesOf = (runDir: string) => new Map(readRecord(runDir).outcomes.map((o) => [o.probe, o.notes]));

describe('the run-directory guard', () => {
  it('catches writes, rewrites and deletions in finished probes\' folders and the run folder, nested ones included', async () => {
    const probesDir = tempDir();
    for (const id of ['a1', 'a2', 'a3', 'a4']) probe(probesDir, id);
    probe(probesDir, 'b1-vandal', [
      "p = lambda *s: os.path.join(run_dir, *s)",
      "open(p('stray.txt'), 'w').write('x')",
      "open(p('probes', 'a1', 'out', 'new.txt'), 'w').write('x')",
      "open(p('probes', 'a2', 'stdout.log'), 'w').write('rewritten')",
      "os.remove(p('probes', 'a3', 'result.json'))",
      "os.makedirs(p('probes', 'a4', 'out', 'sub'))",
      // The journal rewritten in place at the same size: no re-read of it would see this, its stamp does.
      "j = open(p('journal.jsonl'), 'r+'); text = j.read(); j.seek(0); j.write(text.replace('\"pass\"', '\"fail\"', 1)); j.close()",
    ]);
    // Writes into the folder the vandal made: the guard must watch what it found new, not only what it walked.
    probe(probesDir, 'b2-second', ["open(os.path.join(run_dir, 'probes', 'a4', 'out', 'sub', 'y.txt'), 'w').write('y')"]);
    probe(probesDir, 'b3-clean');
    const runs = tempDir();
    const r = await cli(runArgs(probesDir, runs), cleanEnv());
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const at = (...s: string[]) => path.join(runDir, ...s);
    const notes = notesOf(runDir);
    expect(notes.get('b1-vandal')).toEqual([
      `while it ran, the runner's journal was changed by someone else: ${at('journal.jsonl')} (restored)`,
      `wrote outside its output folder: ${at('probes', 'a1', 'out', 'new.txt')}`,
      `wrote outside its output folder: ${at('probes', 'a2', 'stdout.log')}`,
      `wrote outside its output folder: ${at('probes', 'a4', 'out', 'sub')}`,
      `wrote outside its output folder: ${at('stray.txt')}`,
      `deleted outside its output folder: ${at('probes', 'a3', 'result.json')}`,
    ]);
    expect(notes.get('b2-second')).toEqual([`wrote outside its output folder: ${at('probes', 'a4', 'out', 'sub', 'y.txt')}`]);
    for (const id of ['a1', 'a2', 'a3', 'a4', 'b3-clean']) expect(notes.get(id)).toEqual([]);
    const journal = readFileSync(at('journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { probe: string; status: string });
    expect(journal.map((l) => [l.probe, l.status])).toEqual(['a1', 'a2', 'a3', 'a4', 'b1-vandal', 'b2-second', 'b3-clean'].map((id) => [id, 'pass']));
  });

  it('bounds its walk of a probe folder holding a huge number of files, says so, and keeps watching the rest', async () => {
    const probesDir = tempDir();
    probe(probesDir, 'a1');
    probe(probesDir, 'a2-many', ["for i in range(25000):", "    open(os.path.join(out, f'f{i}'), 'w').close()"]);
    probe(probesDir, 'a3-tamper', ["open(os.path.join(run_dir, 'probes', 'a1', 'stdout.log'), 'w').write('rewritten')"]);
    const runs = tempDir();
    const r = await cli(runArgs(probesDir, runs), cleanEnv());
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const notes = notesOf(runDir);
    expect(notes.get('a2-many')).toEqual([
      `the run-directory guard walked the first 20000 entries of ${path.join(runDir, 'probes', 'a2-many')} and stopped: later changes to what lies beyond them go unnoticed`,
    ]);
    expect(notes.get('a3-tamper')).toEqual([`wrote outside its output folder: ${path.join(runDir, 'probes', 'a1', 'stdout.log')}`]);
  });
});
