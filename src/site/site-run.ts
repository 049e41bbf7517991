import { z } from 'zod';
import { opWhy, outDirOf } from '../report/op-table.js';
import { Outcome } from '../schemas/outcome.js';
import type { CensusPhase } from '../schemas/probe-result.js';
import { Fingerprint, RunRecord } from '../schemas/run-record.js';
import { Target } from '../schemas/manifest.js';
import { isReference } from '../device/system-title.js';

/**
 * What the site needs of one outcome: the verdict and the few numbers it charts. A run record's
 * outcomes carry much more (result files, notes, earlier verdicts); leaving that out keeps the
 * run-record cache small enough to load in a fraction of the time the records take.
 */
/** A census phase as the op pages read it: per op, its count and the modules holding it (not every module's ops). */
export const SiteCensusPhase = z.object({
  phase: z.string(),
  placement: z.string(),
  ops: z.array(z.object({ op: z.string(), count: z.number(), modules: z.array(z.string()) })),
});
export type SiteCensusPhase = z.infer<typeof SiteCensusPhase>;

export function summarizeCensus(phases: CensusPhase[]): SiteCensusPhase[] {
  return phases.map((ph) => {
    const perOp = new Map<string, { count: number; modules: string[] }>();
    for (const m of ph.modules) {
      for (const [op, count] of Object.entries(m.ops)) {
        const seen = perOp.get(op) ?? { count: 0, modules: [] };
        seen.count += count;
        seen.modules.push(m.name);
        perOp.set(op, seen);
      }
    }
    return { phase: ph.phase, placement: ph.placement, ops: [...perOp].map(([op, v]) => ({ op, count: v.count, modules: [...new Set(v.modules)].sort() })) };
  });
}

export const SiteOutcome = Outcome.pick({
  probe: true,
  title: true,
  stack: true,
  workload: true,
  status: true,
  category: true,
  layer: true,
  ruleId: true,
  signature: true,
  reason: true,
  details: true,
  evidence: true,
  durationS: true,
  attempt: true,
  attempts: true,
  started: true,
  logs: true,
  stages: true,
}).extend({
  executeS: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
  census: z.record(z.string(), z.number()),
  censusPhases: z.array(SiteCensusPhase),
});
export type SiteOutcome = z.infer<typeof SiteOutcome>;

/** One op family of an op-coverage outcome, as the site's op table shows it. */
export const SiteOpFamily = z.object({
  family: z.string(),
  op: z.string(),
  status: z.string(),
  /** "unsupported-op: stablehlo.cholesky"; null when it did what it should. */
  why: z.string().nullable(),
  reason: z.string(),
  /** The family's log, relative to the run directory. */
  log: z.string(),
});
export type SiteOpFamily = z.infer<typeof SiteOpFamily>;

export const SiteOpCoverage = z.object({ stack: z.enum(['tt-xla', 'tt-metal']), probe: z.string(), families: z.array(SiteOpFamily) });
export type SiteOpCoverage = z.infer<typeof SiteOpCoverage>;

export const SiteRun = z.object({
  /** The run directory, absolute. */
  dir: z.string(),
  runId: z.string(),
  state: RunRecord.shape.state,
  startedAt: z.string(),
  /** Where the probes computed: a `cpu` or `gpu` run is a reference run, shown as one and never as TT support. */
  target: Target,
  fingerprint: Fingerprint,
  /** Probes the run meant to run: compare tells lost coverage from a probe that was removed. */
  planned: z.array(z.string()),
  outcomes: z.array(SiteOutcome),
  /** Op-coverage families per stack; kept beside the outcomes so the outcome tuples of the cache stay as they are. */
  opCoverage: z.array(SiteOpCoverage).default([]),
});
export type SiteRun = z.infer<typeof SiteRun>;

/** The decisive lines kept per outcome: the site shows the first, the signature page a few. */
const EVIDENCE_KEPT = 5;

export function summarizeRun(dir: string, r: RunRecord): SiteRun {
  return {
    dir,
    runId: r.runId,
    state: r.state,
    startedAt: r.startedAt,
    target: r.options.target,
    // A reference run is its own system on the site, whatever board its host has: a CPU run on an
    // N150 host must not share the N150 column, badges or release comparisons.
    fingerprint: isReference(r.options.target) ? { ...r.fingerprint, tier: 'none' } : r.fingerprint,
    planned: r.planned,
    opCoverage: opCoverageOf(r),
    outcomes: r.outcomes.map((o) => ({
      probe: o.probe,
      title: o.title,
      stack: o.stack,
      workload: o.workload,
      status: o.status,
      category: o.category,
      layer: o.layer,
      ruleId: o.ruleId,
      signature: o.signature,
      reason: o.reason,
      details: o.details,
      evidence: o.evidence.slice(0, EVIDENCE_KEPT),
      durationS: o.durationS,
      attempt: o.attempt,
      attempts: o.attempts,
      started: o.started,
      logs: o.logs,
      stages: o.stages,
      executeS: o.result?.timings.execute_s ?? null,
      metrics: o.result?.metrics ?? {},
      census: o.result?.census ?? {},
      censusPhases: summarizeCensus(o.result?.censusPhases ?? []),
    })),
  };
}

function opCoverageOf(r: RunRecord): SiteOpCoverage[] {
  return r.outcomes
    .filter((o) => o.opVerdicts.length)
    .map((o) => ({
      stack: o.stack,
      probe: o.probe,
      families: o.opVerdicts.map((v) => ({
        family: v.family,
        op: v.op,
        status: v.status,
        why: opWhy(v),
        reason: v.reason.slice(0, 300),
        log: `${outDirOf(o)}/${v.log}`,
      })),
    }));
}
