import { z } from 'zod';
import { Outcome } from '../schemas/outcome.js';
import { Fingerprint, RunRecord } from '../schemas/run-record.js';

/**
 * What the site needs of one outcome: the verdict and the few numbers it charts. A run record's
 * outcomes carry much more (result files, notes, earlier verdicts); leaving that out keeps the
 * run-record cache small enough to load in a fraction of the time the records take.
 */
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
});
export type SiteOutcome = z.infer<typeof SiteOutcome>;

export const SiteRun = z.object({
  /** The run directory, absolute. */
  dir: z.string(),
  runId: z.string(),
  state: RunRecord.shape.state,
  startedAt: z.string(),
  fingerprint: Fingerprint,
  /** Probes the run meant to run: compare tells lost coverage from a probe that was removed. */
  planned: z.array(z.string()),
  outcomes: z.array(SiteOutcome),
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
    fingerprint: r.fingerprint,
    planned: r.planned,
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
    })),
  };
}
