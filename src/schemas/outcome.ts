import { z } from 'zod';
import { Stack } from './manifest.js';
import { CensusPlacement, OpResult, ProbeResult } from './probe-result.js';
import { StageReport } from './stage.js';
import { STATUSES, isSuccess } from './names.js';

export { isSuccess };

/**
 * `compiled`: on a mock system, the real compiler lowered and compiled the workload for that system;
 * nothing was computed. Never a pass, and never given outside a mock run.
 */
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const Category = z.enum([
  'unsupported-op',
  'compiler-crash',
  'runtime-fatal',
  'device-oom',
  'device-unavailable',
  'missing-dependency',
  'environment',
  'numerical-mismatch',
  'pjrt-internal',
  'timeout',
  'unknown',
]);
export type Category = z.infer<typeof Category>;

export const Layer = z.enum(['tt-xla', 'tt-mlir', 'tt-metal', 'umd-kmd', 'tt-forge', 'tt-torch', 'jax', 'python-env', 'harness']);
export type Layer = z.infer<typeof Layer>;

export const Verdict = z.object({
  status: Status,
  category: Category.nullable(),
  layer: Layer.nullable(),
  ruleId: z.string().nullable(),
  reason: z.string().describe('one line a person reads first'),
  details: z.record(z.string(), z.string()),
  evidence: z.array(z.string()),
  signature: z.string().nullable().describe('stable id of an unmatched failure'),
});
export type Verdict = z.infer<typeof Verdict>;

/** One op family of an op-coverage probe, with the catalog's reading of its own log. */
export const OpVerdict = OpResult.extend({
  category: Category.nullable(),
  layer: Layer.nullable(),
  ruleId: z.string().nullable(),
  reason: z.string(),
  /** The StableHLO op the failure names (unsupported-op), else null. */
  failingOp: z.string().nullable(),
  decisive: z.string().nullable(),
});
export type OpVerdict = z.infer<typeof OpVerdict>;

export const PredictionBasis = z.enum(['catalog', 'op-coverage']);
export type PredictionBasis = z.infer<typeof PredictionBasis>;

export const Prediction = z.object({
  op: z.string(),
  ruleId: z.string(),
  count: z.number().int(),
  /** The census phase holding the op; null in records made before the census had phases. */
  phase: z.string().nullable().default(null),
  placement: CensusPlacement.nullable().default(null),
  /** The modules of that phase that hold the op. */
  modules: z.array(z.string()).default([]),
  /** What says the op fails: the catalog, or op-coverage results of the installed compiler. */
  basis: PredictionBasis.default('catalog'),
  /** For op-coverage: the compiler that failed it and where (e.g. "jax-tt-plugin 0.1.3 on P150 (mock)"). */
  evidence: z.string().nullable().default(null),
  /** On TT hardware: true when the run failed on this op, false when it passed anyway; null elsewhere. */
  confirmed: z.boolean().nullable().default(null),
});
export type Prediction = z.infer<typeof Prediction>;

export const Outcome = Verdict.extend({
  probe: z.string(),
  title: z.string(),
  stack: Stack,
  workload: z.string(),
  tags: z.array(z.string()),
  target: z.string(),
  attempt: z.number().int().positive(),
  startedAt: z.string(),
  durationS: z.number().nonnegative(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  started: z.boolean().default(true).describe('false when no probe process ran: decided beforehand, or its command could not be started'),
  // What the runner knew of the process, kept so reclassify never re-derives it from the reason text.
  // Absent in records written before these fields existed.
  spawnError: z.string().nullable().optional().describe('why the command could not be started, or null'),
  timedOut: z.boolean().optional().describe('the harness ended the probe at its time limit'),
  timeoutSeconds: z.number().positive().optional().describe("the probe's time limit when it ran"),
  logs: z.object({ stdout: z.string(), stderr: z.string() }),
  result: ProbeResult.nullable(),
  resultProblem: z.string().nullable(),
  notes: z.array(z.string()).describe('what the harness observed beyond the verdict'),
  predicted: z.array(Prediction).describe('census ops predicted to fail on TT-XLA: from op-coverage results of the same compiler where they cover the op, else from the catalog'),
  opVerdicts: z.array(OpVerdict).default([]).describe('op-coverage probes: each op family classified from its own log'),
  stages: StageReport.nullable().default(null).describe('how far the probe got; null when it wrote no stage'),
  previousVerdicts: z.array(Verdict.extend({ catalogVersion: z.string() })).default([]),
  attempts: z
    .array(z.object({ attempt: z.number().int(), status: Status, category: Category.nullable(), ruleId: z.string().nullable(), signature: z.string().nullable(), reason: z.string(), durationS: z.number() }))
    .default([])
    .describe('earlier attempts that did not pass, when the run used --retries'),
});
export type Outcome = z.infer<typeof Outcome>;
