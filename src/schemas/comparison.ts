import { z } from 'zod';
import { Category, Status } from './outcome.js';
import { BrokenEnvironment } from './broken-environment.js';

/** A probe's state on one side of a comparison: a status, or no outcome at all. */
export const ProbeState = z.enum([...Status.options, 'missing']);
export type ProbeState = z.infer<typeof ProbeState>;

/**
 * Every change of a probe's state between two sides has exactly one of these kinds (see
 * `transitionOf` in src/compare/transition.ts, the one place that decides). Failing statuses are
 * cpu-fallback, fail, crash and timeout: cpu-fallback counts as failing because the device did not
 * compute what was asked.
 */
export const TransitionKind = z.enum([
  /** pass -> cpu-fallback, fail, crash or timeout */
  'regression',
  /** skip or missing -> a failing status */
  'new-failure',
  /** pass or a failing status -> skip, or -> missing from a run that planned the probe */
  'lost-coverage',
  /** one failing status -> another (fail -> crash, timeout -> fail, fail -> cpu-fallback, ...) */
  'status-change',
  /** the same failing status with another category, rule or signature */
  'changed-reason',
  /** a failing status -> pass */
  'fix',
  /** skip or missing -> pass */
  'new-coverage',
  /** skip <-> missing: the probe ran on neither side */
  'still-not-run',
  /** any state -> missing from a run that did not plan the probe (deleted, renamed or filtered out) */
  'removed-probe',
]);
export type TransitionKind = z.infer<typeof TransitionKind>;

/** What a comparison reports: the transitions, plus what is not a change of one probe's state. */
export const ChangeKind = z.enum([
  ...TransitionKind.options,
  /** a failure signature no base run had */
  'new-unknown',
  /** attempts of one run, or runs of one release, disagree */
  'flaky',
  /** execute time of a passing probe moved past --time-threshold */
  'timing',
  /** one side has no run of this tier: nothing to compare, never a regression */
  'tier-missing',
]);
export type ChangeKind = z.infer<typeof ChangeKind>;

/** Kinds that make `compare` exit 1 when --fail-on is not given. */
export const DEFAULT_FAIL_ON: ChangeKind[] = ['regression', 'new-failure', 'lost-coverage'];

export const StateDetail = z.object({
  state: ProbeState,
  category: Category.nullable(),
  ruleId: z.string().nullable().describe('rule id, or the signature of an unknown failure'),
});
export type StateDetail = z.infer<typeof StateDetail>;

export const Change = z.object({
  kind: ChangeKind,
  probe: z.string(),
  tier: z.string(),
  transition: z.string().describe('for a person: `pass -> fail (unsupported-op: stablehlo.reduce_window)`'),
  from: StateDetail.optional().describe('the base side, on a transition of run against run'),
  to: StateDetail.optional().describe('the new side, on a transition of run against run'),
  detail: z.string().optional(),
  rates: z
    .object({ basePasses: z.number().int(), baseRuns: z.number().int(), newPasses: z.number().int(), newRuns: z.number().int(), pValue: z.number() })
    .optional()
    .describe("release mode: pass counts and Fisher's exact p-value"),
});
export type Change = z.infer<typeof Change>;

export const EnvironmentChange = z.object({ field: z.string(), base: z.string(), new: z.string() });
export type EnvironmentChange = z.infer<typeof EnvironmentChange>;

/** `ttprobe compare --json`. */
export const Comparison = z.object({
  mode: z.enum(['run', 'release']),
  base: z.array(z.string()),
  new: z.array(z.string()),
  environment: z.array(EnvironmentChange).describe('fingerprint fields (firmware, KMD, plugin, ...) that differ'),
  brokenEnvironment: z.array(BrokenEnvironment).describe('non-empty means exit code 4'),
  changes: z.array(Change),
});
export type Comparison = z.infer<typeof Comparison>;
