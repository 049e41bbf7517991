import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { OpResult } from '../schemas/probe-result.js';
import type { OpVerdict } from '../schemas/outcome.js';
import { STAGES, type Stage } from '../schemas/stage.js';
import type { LoadedCatalog } from './catalog.js';
import { classify } from './classify.js';

const GOOD: ReadonlySet<OpResult['status']> = new Set(['compiled', 'pass', 'skip']);

/** A log path the probe named, kept to a regular file inside its output folder. */
async function logInside(outputDir: string, relative: string): Promise<string | null> {
  const full = path.resolve(outputDir, relative);
  if (!full.startsWith(path.resolve(outputDir) + path.sep)) return null;
  const info = await lstat(full).catch(() => null);
  return info?.isFile() ? full : null;
}

/**
 * Each op family of an op-coverage result, classified from its own log with the same catalog as a
 * whole probe, so a family's verdict is the compiler's message, not the probe's summary.
 */
export async function classifyOpResults(results: OpResult[], outputDir: string, catalog: LoadedCatalog): Promise<OpVerdict[]> {
  const verdicts: OpVerdict[] = [];
  for (const r of results) {
    const none = { category: null, layer: null, ruleId: null, failingOp: null, decisive: null };
    if (GOOD.has(r.status)) {
      verdicts.push({ ...r, ...none, reason: r.message ?? r.status });
      continue;
    }
    const log = await logInside(outputDir, r.log);
    const c = await classify(catalog, { stdoutFile: log ?? undefined, message: r.message, stage: (STAGES as readonly string[]).includes(r.stage ?? '') ? (r.stage as Stage) : null });
    const detail = Object.values(c.details)[0];
    verdicts.push({
      ...r,
      category: r.status === 'timeout' ? 'timeout' : c.category ?? c.entry?.category ?? 'unknown',
      layer: c.layer,
      ruleId: c.entry?.id ?? null,
      reason: c.entry ? (detail ? `${c.entry.title}: ${detail}` : c.entry.title) : r.message ?? r.status,
      failingOp: c.category === 'unsupported-op' ? c.details.op ?? null : null,
      decisive: c.evidence[0] ?? c.decisiveLines.at(-1) ?? null,
    });
  }
  return verdicts;
}
