import { existsSync } from 'node:fs';
import path from 'node:path';
import { TtprobeError } from '../errors.js';
import { loadCatalog } from '../classify/catalog.js';
import { requireInputFolder } from './input-paths.js';
import { evaluateCorpus, loadCorpus, type CorpusReport } from '../evaluate/corpus.js';
import { PACKAGE_ROOT } from '../paths.js';

export const DEFAULT_CORPUS = path.join(PACKAGE_ROOT, 'fixtures', 'corpus');

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

function renderText(r: CorpusReport, showWrong: boolean): string {
  const lines: string[] = [];
  const a = r.all;
  lines.push(`${a.total} labelled logs`);
  lines.push(`category accuracy: ${pct(a.categoryAccuracy)}   layer accuracy: ${pct(a.layerAccuracy)}   op accuracy: ${pct(a.opAccuracy)} of ${a.opTotal}`);
  lines.push(`leave-one-repository-out category accuracy: ${pct(r.leaveOneOut.accuracy)}`);
  lines.push('');
  lines.push('category                 support  predicted  precision  recall');
  for (const c of a.perCategory) {
    lines.push(`${c.category.padEnd(24)} ${String(c.support).padStart(7)}  ${String(c.predicted).padStart(9)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}`);
  }
  lines.push('');
  const cats = a.perCategory.map((c) => c.category);
  const short = (c: string) => c.slice(0, 6);
  lines.push(`confusion (rows: label, columns: verdict)`);
  lines.push(`${''.padEnd(24)} ${cats.map((c) => short(c).padStart(6)).join(' ')}`);
  for (const row of cats) {
    if (!a.confusion[row]) continue;
    lines.push(`${row.padEnd(24)} ${cats.map((col) => String(a.confusion[row]![col] ?? '.').padStart(6)).join(' ')}`);
  }
  lines.push('');
  lines.push(...renderSplits(r));
  lines.push('held out            logs  accuracy');
  for (const h of r.leaveOneOut.perRepo) lines.push(`${h.repo.replace(/^tenstorrent\//, '').padEnd(18)} ${String(h.logs).padStart(5)}  ${pct(h.accuracy).padStart(8)}`);
  if (showWrong && a.wrong.length) {
    lines.push('');
    lines.push('wrong:');
    for (const { log, got } of a.wrong) {
      lines.push(`  ${log.file}: label ${log.category}${log.op ? ` ${log.op}` : ''}, got ${got.category}${got.op ? ` ${got.op}` : ''} (${got.ruleId ?? 'no rule'})`);
    }
  }
  return lines.join('\n') + '\n';
}

function splitRow(name: string, e: CorpusReport['all']): string {
  const cats = e.perCategory.filter((c) => c.support > 0).map((c) => `${c.category} ${c.correct}/${c.support}`);
  return `${name.padEnd(24)} ${String(e.total).padStart(5)}  ${pct(e.total ? e.categoryAccuracy : null).padStart(8)}   ${cats.join(', ')}`;
}

function renderSplits(r: CorpusReport): string[] {
  const t = r.timeSplit;
  const s = r.sourceSplit;
  return [
    `time split at ${t.cutoff} (issue dates; ${t.undated} labels have no date and are left out)`,
    splitRow(`  issues before`, t.before),
    splitRow(`  issues on/after`, t.after),
    `source split (${s.inferredKinds} labels have no kind: up to 12 lines counts as an excerpt)`,
    splitRow('  issue excerpts', s.excerpt),
    splitRow('  full logs', s.fullLog),
    '',
  ];
}

/** Scores the catalog against the labelled corpus: accuracy overall and with each repository held out. */
export async function evaluateCommand(flags: { corpus?: string; catalog?: string; json?: boolean; wrong?: boolean; cutoff?: string }, out: (s: string) => void) {
  const catalog = await loadCatalog(flags.catalog);
  const corpus = flags.corpus ?? DEFAULT_CORPUS;
  await requireInputFolder(corpus, '--corpus', 'labels.jsonl', 'labels.d');
  const logs = await loadCorpus(corpus);
  // Scores over nothing would print as a report of 0 logs and exit 0: an empty corpus is a wrong path or a lost file.
  if (!logs.length) {
    const where = existsSync(path.join(corpus, 'labels.d')) ? path.join(corpus, 'labels.d') : path.join(corpus, 'labels.jsonl');
    throw new TtprobeError('invalid-input', `--corpus ${corpus}: no labelled log in ${where}`, { file: where, field: '--corpus' });
  }
  const report = await evaluateCorpus({ version: catalog.version, entries: catalog.entries }, catalog.file, logs, flags.cutoff);
  out(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report, flags.wrong ?? false));
  return report;
}
