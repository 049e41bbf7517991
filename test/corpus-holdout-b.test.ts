import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, tempDir } from './helpers.js';

// The second held-out set of issue 21: 40 short excerpts from public issues that neither labels.d nor
// the first held-out set used, labelled blind (category decided from the text before any scoring).
// Its figure measures how the catalog generalises; the floor sits just under the blind figure
// (80.0%, 32 of 40, on 2026-12-05) so a catalog change that loses ground here fails, and one that
// gains is free to.
const CORPUS = path.join(FIXTURES, 'corpus');
const HOLDOUT = path.join(CORPUS, 'held-out-2026-12b.jsonl');
const FLOOR = 0.8;

const readLabels = (file: string) =>
  readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

function corpusWith(text: string): string {
  const dir = tempDir('ttprobe-corpus-b-');
  writeFileSync(path.join(dir, 'labels.jsonl'), text);
  symlinkSync(path.join(CORPUS, 'logs'), path.join(dir, 'logs'));
  return dir;
}

describe('the second held-out corpus of issue 21', () => {
  const labels = readLabels(HOLDOUT);

  it('labels issues no other corpus file used, each an excerpt with its date and decisive line', () => {
    const others = [
      ...readdirSync(path.join(CORPUS, 'labels.d')).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(CORPUS, 'labels.d', f)),
      ...readdirSync(CORPUS).filter((f) => f.startsWith('held-out-') && f.endsWith('.jsonl') && f !== path.basename(HOLDOUT)).map((f) => path.join(CORPUS, f)),
    ];
    expect(others.length).toBeGreaterThan(1);
    const used = new Set(others.flatMap((f) => readLabels(f)).map((l) => l.url));
    expect(labels.length).toBeGreaterThanOrEqual(40);
    for (const l of labels) {
      expect(used.has(l.url), l.url).toBe(false);
      expect(l.url).toMatch(/^https:\/\/github\.com\/tenstorrent\/[\w.-]+\/issues\/\d+$/);
      expect(l.date).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(l.kind).toBe('excerpt');
      const log = path.join(CORPUS, 'logs', l.file);
      expect(existsSync(log), l.file).toBe(true);
      expect(readFileSync(log, 'utf8'), l.file).toContain(l.decisive);
    }
    expect(new Set(labels.map((l) => l.url)).size).toBe(labels.length);
  });

  it(`scores at or above ${FLOOR * 100}% through catalog eval, on both sides of the 2025-06-01 split`, async () => {
    const r = await cli(['catalog', 'eval', '--json', '--corpus', corpusWith(readFileSync(HOLDOUT, 'utf8'))]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.all.total).toBe(labels.length);
    const wrong = report.all.wrong.map((w: { log: { file: string; category: string }; got: { category: string } }) => `${w.log.file}: ${w.log.category} -> ${w.got.category}`);
    expect(report.all.categoryAccuracy, `held-out-2026-12b: ${(report.all.categoryAccuracy * 100).toFixed(1)}%; wrong:\n${wrong.join('\n')}`).toBeGreaterThanOrEqual(FLOOR);
    expect(report.timeSplit.before.total + report.timeSplit.after.total).toBe(labels.length);
    expect(report.timeSplit.before.total).toBeGreaterThan(0);
    expect(report.timeSplit.after.total).toBeGreaterThan(0);
  });
});
