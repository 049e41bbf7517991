import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { classify } from '../classify/classify.js';
import { compileCatalog, type LoadedCatalog } from '../classify/catalog.js';
import { CorpusLabel } from '../schemas/corpus.js';
import type { Catalog } from '../schemas/catalog.js';
import { invalidInput } from '../errors.js';
import { validateDocument } from '../schemas/validate.js';

export interface LabelledLog extends CorpusLabel {
  path: string;
}

export interface Prediction {
  category: string;
  layer: string | null;
  op: string | null;
  ruleId: string | null;
}

export interface Scored {
  log: LabelledLog;
  got: Prediction;
}

/**
 * Every `labels.d/*.jsonl` beside a `logs/` folder (or one `labels.jsonl` where there is no
 * labels.d): one label a line, validated, each file labelled once.
 */
export async function loadCorpus(dir: string): Promise<LabelledLog[]> {
  const labelsDir = path.join(dir, 'labels.d');
  const files = existsSync(labelsDir)
    ? (await readdir(labelsDir)).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(labelsDir, f))
    : [path.join(dir, 'labels.jsonl')];
  const logs: LabelledLog[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const [i, raw] of text.split('\n').entries()) {
      if (!raw.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (err) {
        throw invalidInput(file, `line ${i + 1}`, (err as Error).message);
      }
      const label = await validateDocument(CorpusLabel, parsed, `${file}:${i + 1}`);
      const where = `${file}:${i + 1}`;
      if (seen.has(label.file)) throw invalidInput(file, `line ${i + 1}.file`, `'${label.file}' is labelled twice (also at ${seen.get(label.file)})`);
      seen.set(label.file, where);
      logs.push({ ...label, path: path.join(dir, 'logs', label.file) });
    }
  }
  return logs;
}

export async function predict(catalog: LoadedCatalog, log: LabelledLog): Promise<Prediction> {
  const c = await classify(catalog, { stderrFile: log.path });
  return { category: c.category ?? 'no-error-found', layer: c.layer, op: c.details.op ?? null, ruleId: c.entry?.id ?? null };
}

/** The catalog as it would be had the held-out repository's logs never been read. */
export function withoutRepository(catalog: Catalog, file: string, repo: string): LoadedCatalog {
  const entries = catalog.entries.filter((e) => !(e.seenIn.length > 0 && e.seenIn.every((r) => r === repo)));
  return compileCatalog({ ...catalog, entries }, file);
}

export interface CategoryScore {
  category: string;
  support: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  total: number;
  categoryAccuracy: number;
  layerAccuracy: number;
  opAccuracy: number | null;
  opTotal: number;
  perCategory: CategoryScore[];
  /** confusion[expected][got] = count */
  confusion: Record<string, Record<string, number>>;
  wrong: Scored[];
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

export function score(scored: Scored[]): Evaluation {
  const confusion: Record<string, Record<string, number>> = {};
  let correct = 0;
  let layerCorrect = 0;
  let opCorrect = 0;
  let opTotal = 0;
  for (const { log, got } of scored) {
    const row = (confusion[log.category] ??= {});
    row[got.category] = (row[got.category] ?? 0) + 1;
    if (got.category === log.category) correct++;
    if (got.layer === log.layer) layerCorrect++;
    if (log.op) {
      opTotal++;
      if (got.op === log.op) opCorrect++;
    }
  }
  const categories = [...new Set(scored.flatMap(({ log, got }) => [log.category, got.category]))].sort();
  const perCategory = categories.map((category) => {
    const support = scored.filter((s) => s.log.category === category).length;
    const predicted = scored.filter((s) => s.got.category === category).length;
    const hits = scored.filter((s) => s.log.category === category && s.got.category === category).length;
    return { category, support, predicted, correct: hits, precision: ratio(hits, predicted), recall: ratio(hits, support) };
  });
  return {
    total: scored.length,
    categoryAccuracy: ratio(correct, scored.length),
    layerAccuracy: ratio(layerCorrect, scored.length),
    opAccuracy: opTotal ? opCorrect / opTotal : null,
    opTotal,
    perCategory,
    confusion,
    wrong: scored.filter(({ log, got }) => got.category !== log.category || (log.op !== null && got.op !== log.op)),
  };
}

export interface HeldOut {
  repo: string;
  logs: number;
  accuracy: number;
}

export interface CorpusReport {
  all: Evaluation;
  leaveOneOut: { perRepo: HeldOut[]; accuracy: number };
  /** Labels dated before the cutoff, after it, and undated (the catalog was written before the cutoff). */
  timeSplit: { cutoff: string; before: Evaluation; after: Evaluation; undated: number };
  /** Issue excerpts (a few pasted lines) against full logs as a run printed them. */
  sourceSplit: { excerpt: Evaluation; fullLog: Evaluation; inferredKinds: number };
}

/** A label without a kind: a pasted excerpt is a few lines; a run's log is more. */
function kindOf(log: LabelledLog): 'excerpt' | 'full-log' {
  const lines = readFileSync(log.path, 'utf8').split('\n').filter((l) => l.trim()).length;
  return lines <= EXCERPT_MAX_LINES ? 'excerpt' : 'full-log';
}
const EXCERPT_MAX_LINES = 12;

/** Issues opened on or after this day are the "later" half of the time split unless told otherwise. */
export const DEFAULT_CUTOFF = '2025-06-01';

export async function evaluateCorpus(catalog: Catalog, catalogFile: string, logs: LabelledLog[], cutoff = DEFAULT_CUTOFF): Promise<CorpusReport> {
  const full = compileCatalog(catalog, catalogFile);
  const scored: Scored[] = [];
  for (const log of logs) scored.push({ log, got: await predict(full, log) });

  const perRepo: HeldOut[] = [];
  let heldCorrect = 0;
  for (const repo of [...new Set(logs.map((l) => l.repo))].sort()) {
    const held = withoutRepository(catalog, catalogFile, repo);
    const mine = logs.filter((l) => l.repo === repo);
    let correct = 0;
    for (const log of mine) if ((await predict(held, log)).category === log.category) correct++;
    heldCorrect += correct;
    perRepo.push({ repo, logs: mine.length, accuracy: correct / mine.length });
  }
  const dated = scored.filter((s) => s.log.date);
  const byKind = scored.map((s) => ({ s, kind: s.log.kind ?? kindOf(s.log) }));
  return {
    all: score(scored),
    leaveOneOut: { perRepo, accuracy: ratio(heldCorrect, logs.length) },
    timeSplit: {
      cutoff,
      before: score(dated.filter((s) => s.log.date! < cutoff)),
      after: score(dated.filter((s) => s.log.date! >= cutoff)),
      undated: scored.length - dated.length,
    },
    sourceSplit: {
      excerpt: score(byKind.filter((k) => k.kind === 'excerpt').map((k) => k.s)),
      fullLog: score(byKind.filter((k) => k.kind === 'full-log').map((k) => k.s)),
      inferredKinds: scored.filter((s) => !s.log.kind).length,
    },
  };
}
