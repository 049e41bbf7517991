import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { classify, NO_CLASSIFICATION, StreamClassifier } from '../classify/classify.js';
import { loadCatalog, DEFAULT_CATALOG, type LoadedCatalog } from '../classify/catalog.js';
import { checkCatalog } from '../classify/check.js';
import { decideVerdict, type Execution } from '../classify/verdict.js';
import { readRunRecord, writeRunRecord } from '../record/run-record.js';
import { RUN_RECORD, inside } from '../record/paths.js';
import { TtprobeError, invalidInput } from '../errors.js';
import { requireLogFile } from './input-paths.js';
import type { Outcome } from '../schemas/outcome.js';
import { predictWithEvidence, predictionsFor } from '../classify/predictions.js';
import { classifyOpResults } from '../classify/op-verdicts.js';
import { opEvidenceOf } from '../classify/op-evidence.js';
import { tierTitle } from '../site/naming.js';

export interface ClassifiedInput {
  input: string;
  ruleId: string | null;
  title: string | null;
  category: string;
  layer: string | null;
  details: Record<string, string>;
  evidence: string[];
  signature: string | null;
  /** Where the known error is filed upstream. */
  links: string[];
}

// As a file is read: whole lines go to the classifier as each chunk arrives, and only the partial
// last line is carried over (scanned in pieces once it passes this size), so memory stays flat.
const MAX_CARRY = 64 * 1024;

async function classifyStdin(catalog: LoadedCatalog) {
  const classifier = new StreamClassifier(catalog);
  let carry = Buffer.alloc(0);
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const lastNewline = buf.lastIndexOf(10);
    const cut = lastNewline < 0 ? (buf.length > MAX_CARRY ? buf.length : 0) : lastNewline + 1;
    if (cut) classifier.scan(buf.subarray(0, cut), 'stderr');
    // A copy: the chunk it came from can then be freed.
    carry = Buffer.from(buf.subarray(cut));
  }
  if (carry.length) classifier.scan(carry, 'stderr');
  return classifier.result();
}

export async function classifyInputs(files: string[], catalogFile?: string): Promise<ClassifiedInput[]> {
  const catalog = await loadCatalog(catalogFile);
  const results: ClassifiedInput[] = [];
  for (const file of files) {
    let c;
    if (file === '-') {
      c = await classifyStdin(catalog);
    } else {
      await requireLogFile(file);
      try {
        await access(file, constants.R_OK);
      } catch (err) {
        throw new TtprobeError('not-found', `cannot read ${file}: ${(err as Error).message}`, { file });
      }
      c = await classify(catalog, { stderrFile: file });
    }
    results.push({
      input: file === '-' ? '(stdin)' : file,
      ruleId: c.entry?.id ?? null,
      title: c.entry?.title ?? null,
      category: c.category ?? 'no-error-found',
      layer: c.layer,
      details: c.details,
      evidence: c.evidence,
      signature: c.signature,
      links: c.entry?.links ?? [],
    });
  }
  return results;
}

export async function classifyCommand(files: string[], flags: { json?: boolean; catalog?: string }, out: (s: string) => void) {
  const results = await classifyInputs(files, flags.catalog);
  if (flags.json) {
    out(JSON.stringify(results, null, 2) + '\n');
    return results;
  }
  for (const r of results) {
    out(`${r.input}\n`);
    out(`  category: ${r.category}${r.layer ? `  layer: ${r.layer}` : ''}\n`);
    out(`  rule:     ${r.ruleId ? `${r.ruleId} (${r.title})` : 'none matched'}\n`);
    for (const [k, v] of Object.entries(r.details)) out(`  ${k}: ${v}\n`);
    if (r.signature) out(`  signature: ${r.signature}\n`);
    for (const link of r.links) out(`  upstream: ${link}\n`);
    for (const e of r.evidence) out(`  evidence: ${e}\n`);
  }
  return results;
}

/** No process ran (decided beforehand, or its command could not start): there is no output to classify. */
const neverStarted = (o: Outcome) => !o.started || executionOf(o).spawnError !== null;
const needsClassifying = (o: Outcome) => !neverStarted(o) && !(o.status === 'pass' || o.status === 'compiled' || o.status === 'cpu-fallback' || o.status === 'skip');

/** Every log reclassify will read, checked before anything is rewritten: a pruned log is bad input, named. */
async function requireLogsOf(runDir: string, outcomes: Outcome[]): Promise<void> {
  for (const [i, o] of outcomes.entries()) {
    if (!needsClassifying(o)) continue;
    for (const stream of ['stdout', 'stderr'] as const) {
      const log = inside(runDir, o.logs[stream]);
      const info = await stat(log).catch(() => null);
      if (!info?.isFile()) {
        throw invalidInput(path.join(runDir, RUN_RECORD), `outcomes[${i}].logs.${stream}`, `log ${log} is ${info ? 'not a file' : 'missing'}; nothing was reclassified`);
      }
    }
  }
}

/**
 * The process facts the runner stored on the outcome. Records written before those facts were
 * stored carry them only in the reason text the runner wrote, so that is the fallback for them alone.
 */
function executionOf(o: Outcome): Execution {
  return {
    exitCode: o.exitCode,
    signal: o.signal,
    timedOut: o.timedOut ?? o.status === 'timeout',
    timeoutSeconds: o.timeoutSeconds ?? Number(/within (\d+)s/.exec(o.reason)?.[1] ?? 0),
    result: o.result,
    resultProblem: o.resultProblem,
    spawnError: o.spawnError !== undefined ? o.spawnError : (/^could not start the probe: (.*)$/.exec(o.reason)?.[1] ?? null),
  };
}

/** Re-applies the current catalog to a stored run; the old verdict is kept in previousVerdicts. */
export async function reclassifyCommand(runDir: string, flags: { catalog?: string }, out: (s: string) => void) {
  const catalog = await loadCatalog(flags.catalog);
  const record = await readRunRecord(runDir);
  await requireLogsOf(runDir, record.outcomes);
  let changed = 0;
  const outcomes: Outcome[] = [];
  for (const o of record.outcomes) {
    if (neverStarted(o)) {
      outcomes.push(o);
      continue;
    }
    const clean = o.status === 'pass' || o.status === 'compiled' || o.status === 'cpu-fallback' || o.status === 'skip';
    const c = clean
      ? NO_CLASSIFICATION
      : await classify(catalog, {
          stdoutFile: inside(runDir, o.logs.stdout),
          stderrFile: inside(runDir, o.logs.stderr),
          message: o.result?.message ?? null,
          stage: o.stages?.last ?? null,
        });
    const verdict = decideVerdict(executionOf(o), o.target as 'tt' | 'gpu' | 'cpu', c, { mock: Boolean(record.device.mock), lastStage: o.stages?.last ?? null });
    const before = `${o.status}/${o.category}/${o.ruleId ?? o.signature}`;
    const after = `${verdict.status}/${verdict.category}/${verdict.ruleId ?? verdict.signature}`;
    if (before !== after) {
      changed++;
      out(`${o.probe}: ${before} -> ${after}\n`);
    }
    const { status, category, layer, ruleId, reason, details, evidence, signature } = o;
    outcomes.push({
      ...o,
      ...verdict,
      // The catalog's unsupported ops may have changed too, and so may what the new verdict confirms.
      predicted: o.result ? predictionsFor(o.result, catalog, o.target, verdict) : o.predicted,
      opVerdicts: o.result?.opResults.length
        ? await classifyOpResults(o.result.opResults, path.join(path.dirname(inside(runDir, o.logs.stdout)), 'out'), catalog)
        : o.opVerdicts,
      previousVerdicts: [
        ...o.previousVerdicts,
        { status, category, layer, ruleId, reason, details, evidence, signature, catalogVersion: record.catalogVersion },
      ],
    });
  }
  const evidence = opEvidenceOf(outcomes, tierTitle(record.fingerprint.tier));
  await writeRunRecord(runDir, { ...record, outcomes: predictWithEvidence(outcomes, catalog, evidence), catalogVersion: catalog.version });
  out(`reclassified ${outcomes.length} outcome(s) in ${path.resolve(runDir)} with catalog ${catalog.version}: ${changed} changed\n`);
}

export async function catalogCheckCommand(file: string | undefined, out: (s: string) => void): Promise<boolean> {
  const catalog = await loadCatalog(file ?? DEFAULT_CATALOG);
  const problems = checkCatalog(catalog);
  for (const p of problems) out(`${catalog.file}: ${p}\n`);
  out(`${catalog.entries.length} entries, ${catalog.entries.reduce((n, e) => n + e.examples.length, 0)} examples: ${problems.length ? `${problems.length} problem(s)` : 'ok'}\n`);
  return problems.length === 0;
}
