import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome, record, syntheticHistory } from '../bench/synthetic-runs.js';
import { cleanEnv, cli, tempDir } from './helpers.js';

// What `site --out` may replace: only a folder the site made itself, never the runs, never a stranger's files.

function runsWithOneNight(): string {
  const runsDir = tempDir();
  const r = record({ runId: 'n1-n150', startedAt: '2026-02-01T01:00:00.000Z', outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] });
  mkdirSync(path.join(runsDir, r.runId));
  writeFileSync(path.join(runsDir, r.runId, 'run.json'), JSON.stringify(r));
  return runsDir;
}

/** Every file under `dir` with its content: what "nothing touched" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('ttprobe site --out', () => {
  it('refuses a folder of other files, touching nothing, and replaces it with --force', async () => {
    const runsDir = runsWithOneNight();
    const webRoot = path.join(tempDir(), 'www');
    mkdirSync(path.join(webRoot, 'docs'), { recursive: true });
    writeFileSync(path.join(webRoot, 'index.html'), '<h1>the lab wiki</h1>');
    writeFileSync(path.join(webRoot, 'docs', 'notes.txt'), 'keep me');
    const before = snapshot(webRoot);

    const refused = await cli(['site', runsDir, '--out', webRoot]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(webRoot);
    expect(refused.stderr).toMatch(/not a site ttprobe made.*--force/);
    expect(snapshot(webRoot)).toEqual(before);
    expect(readdirSync(path.dirname(webRoot))).toEqual(['www']);

    const forced = await cli(['site', runsDir, '--out', webRoot, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(existsSync(path.join(webRoot, 'docs'))).toBe(false);
    expect(readFileSync(path.join(webRoot, 'index.html'), 'utf8')).toContain('jax-dot');
  });

  it('refuses a file as --out, touching nothing', async () => {
    const runsDir = runsWithOneNight();
    const file = path.join(tempDir(), 'site.html');
    writeFileSync(file, 'precious');
    const r = await cli(['site', runsDir, '--out', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}: is a file`);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(readdirSync(path.dirname(file))).toEqual(['site.html']);
  });

  it('refuses an --out that is, holds or is inside the runs folder, even with --force', async () => {
    const runsDir = runsWithOneNight();
    const before = snapshot(runsDir);
    for (const out of [runsDir, path.join(runsDir, 'site'), path.dirname(runsDir)]) {
      const r = await cli(['site', runsDir, '--out', out, '--force']);
      expect(r.exitCode, out).toBe(2);
      expect(r.stderr).toContain(`${out}: holds or is inside the runs folder ${runsDir}`);
      expect(snapshot(runsDir)).toEqual(before);
    }
  });

  it('rebuilds over a site it made itself, and builds into an empty folder', async () => {
    const runsDir = runsWithOneNight();
    const out = path.join(tempDir(), 'site');
    mkdirSync(out);
    expect((await cli(['site', runsDir, '--out', out])).exitCode).toBe(0);
    expect(readFileSync(path.join(out, '.ttprobe-site'), 'utf8')).toContain('ttprobe site');
    writeFileSync(path.join(out, 'stale.html'), 'from an older build');
    const again = await cli(['site', runsDir, '--out', out]);
    expect(again.exitCode).toBe(0);
    expect(existsSync(path.join(out, 'stale.html'))).toBe(false);
    expect(readdirSync(path.dirname(out))).toEqual(['site']);
  });

  it('lets builds to one --out at once take turns, leaving nothing beside it', async () => {
    // Enough runs that each build's swap takes long enough for the others to collide with it.
    const runsDir = tempDir();
    for (const r of syntheticHistory(40, 20)) {
      mkdirSync(path.join(runsDir, r.runId));
      writeFileSync(path.join(runsDir, r.runId, 'run.json'), JSON.stringify(r));
    }
    const out = path.join(tempDir(), 'site');
    expect((await cli(['site', runsDir, '--out', out])).exitCode).toBe(0);
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => cli(['site', runsDir, '--out', out])));
      for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
      expect(readdirSync(path.dirname(out))).toEqual(['site']);
    }
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('probe-00');
  });
});

describe('ttprobe site --cache', () => {
  it('refuses a cache inside the runs folder or over a file it did not write, touching nothing, and reuses its own', async () => {
    const runsDir = runsWithOneNight();
    const runsBefore = snapshot(runsDir);
    const out = path.join(tempDir(), 'site');
    for (const target of [path.join(runsDir, 'n1-n150', 'run.json'), path.join(runsDir, 'cache.json')]) {
      const r = await cli(['site', runsDir, '--out', out, '--cache', target]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toContain(target);
      expect(r.stderr).toMatch(/inside the runs folder/);
    }
    expect(snapshot(runsDir)).toEqual(runsBefore);

    const elsewhere = tempDir();
    const notes = path.join(elsewhere, 'notes.json');
    writeFileSync(notes, '{"mine": true}\n');
    const stranger = await cli(['site', runsDir, '--out', out, '--cache', notes]);
    expect(stranger.exitCode).toBe(2);
    expect(stranger.stderr).toContain(notes);
    expect(stranger.stderr).toMatch(/not a run-record cache ttprobe wrote/);
    expect(readFileSync(notes, 'utf8')).toBe('{"mine": true}\n');
    expect(existsSync(out)).toBe(false);

    const own = path.join(elsewhere, 'site-cache.json');
    expect((await cli(['site', runsDir, '--out', out, '--cache', own])).exitCode).toBe(0);
    const again = await cli(['site', runsDir, '--out', out, '--cache', own]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/\(0 read, 1 from the cache\)/);
  });
});

// Issue 22, items 16 and 19: the cache is never published with the site, and a folder is no cache.
describe('the default run-record cache', () => {
  it('lives under $TTPROBE_CACHE_DIR/site, one file per output folder, never inside --out', async () => {
    const runsDir = runsWithOneNight();
    const cacheDir = tempDir();
    const env = cleanEnv({ TTPROBE_CACHE_DIR: cacheDir });
    const out = path.join(tempDir(), 'site');
    const first = await cli(['site', runsDir, '--out', out], env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readdirSync(out).filter((f) => f.includes('cache'))).toEqual([]);
    const caches = () => readdirSync(path.join(cacheDir, 'site')).sort();
    expect(caches()).toEqual([expect.stringMatching(/^site-[0-9a-f]{16}\.ttprobe-cache\.json$/)]);
    const again = await cli(['site', runsDir, '--out', out], env);
    expect(again.stdout).toMatch(/\(0 read, 1 from the cache\)/);

    // Another folder of the same name elsewhere has a cache of its own.
    const other = path.join(tempDir(), 'site');
    expect((await cli(['site', runsDir, '--out', other], env)).stdout).toMatch(/\(1 read, 0 from the cache\)/);
    expect(caches()).toHaveLength(2);
  });

  it('--cache naming a folder is bad input (exit 2), and the folder is left alone', async () => {
    const runsDir = runsWithOneNight();
    const folder = tempDir();
    writeFileSync(path.join(folder, 'keep.txt'), 'mine');
    const r = await cli(['site', runsDir, '--out', path.join(tempDir(), 'site'), '--cache', folder]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${folder}: is not a run-record cache ttprobe wrote (not a file)`);
    expect(readdirSync(folder)).toEqual(['keep.txt']);
  });
});
