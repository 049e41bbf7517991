import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, tempDir } from './helpers.js';

// The logs gathered for issue 21 without looking at the catalog. They live in their own file, apart
// from labels.jsonl, so they stay a held-out measure of how the catalog generalises.
const CORPUS = path.join(FIXTURES, 'corpus');
const HOLDOUT = path.join(CORPUS, 'held-out-2026-12.jsonl');

const readLabels = (file: string) =>
  readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

/** A corpus folder whose labels.jsonl is `text`, reading the shipped logs. */
function corpusWith(text: string): string {
  const dir = tempDir('ttprobe-corpus-');
  writeFileSync(path.join(dir, 'labels.jsonl'), text);
  symlinkSync(path.join(CORPUS, 'logs'), path.join(dir, 'logs'));
  return dir;
}

describe('the held-out corpus of issue 21', () => {
  const labels = readLabels(HOLDOUT);

  it('labels public issues the main corpus never used, each with its date, kind and decisive line', () => {
    const others = readdirSync(path.join(CORPUS, 'labels.d')).filter((f) => f.endsWith('.jsonl') && f !== path.basename(HOLDOUT));
    const used = new Set(others.flatMap((f) => readLabels(path.join(CORPUS, 'labels.d', f))).map((l) => l.url));
    expect(labels.length).toBeGreaterThanOrEqual(50);
    for (const l of labels) {
      expect(used.has(l.url), l.url).toBe(false);
      expect(l.url).toMatch(/^https:\/\/github\.com\/tenstorrent\/[\w.-]+\/issues\/\d+$/);
      expect(l.date).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(['full-log', 'excerpt']).toContain(l.kind);
      const log = path.join(CORPUS, 'logs', l.file);
      expect(existsSync(log), l.file).toBe(true);
      expect(readFileSync(log, 'utf8'), l.file).toContain(l.decisive);
    }
    expect(new Set(labels.map((l) => l.url)).size).toBe(labels.length);
  });

  it('loads through catalog eval as a corpus of its own', async () => {
    const r = await cli(['catalog', 'eval', '--json', '--corpus', corpusWith(readFileSync(HOLDOUT, 'utf8'))]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).all.total).toBe(labels.length);
  });

  it('rejects a kind that is neither full-log nor excerpt, naming file, line and field', async () => {
    const bad = readFileSync(HOLDOUT, 'utf8').replace('"kind": "excerpt"', '"kind": "snippet"');
    const dir = corpusWith(bad);
    const line = bad.split('\n').findIndex((l) => l.includes('"snippet"')) + 1;
    const r = await cli(['catalog', 'eval', '--corpus', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'labels.jsonl')}:${line}`);
    expect(r.stderr).toContain('kind');
    expect(r.stderr).toContain('full-log, excerpt');
  });
});
