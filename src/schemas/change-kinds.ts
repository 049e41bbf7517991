// Plain lists, no zod: the CLI names them in --help without loading the schemas; comparison.ts makes
// them zod enums (TransitionKind, ChangeKind), the single source for types and the JSON Schema.

/**
 * Every change of a probe's state between two sides has exactly one of these kinds (see
 * `transitionOf` in src/compare/transition.ts, the one place that decides). Failing statuses are
 * cpu-fallback, fail, crash and timeout: cpu-fallback counts as failing because the device did not
 * compute what was asked.
 */
export const TRANSITION_KINDS = [
  /** pass (or compiled, on a mock system) -> cpu-fallback, fail, crash or timeout */
  'regression',
  /** skip or missing -> a failing status */
  'new-failure',
  /** pass, compiled or a failing status -> skip, or -> missing from a run that planned the probe */
  'lost-coverage',
  /** one failing status -> another (fail -> crash, timeout -> fail, fail -> cpu-fallback, ...); also pass <-> compiled, which only records that pair a mock with hardware could show */
  'status-change',
  /** the same failing status at another stage: it now fails earlier or later (compile -> execute) */
  'stage-change',
  /** the same failing status with another category, rule or signature */
  'changed-reason',
  /** a failing status -> pass (or -> compiled, on a mock system) */
  'fix',
  /** skip or missing -> pass or compiled */
  'new-coverage',
  /** skip <-> missing: the probe ran on neither side */
  'still-not-run',
  /** any state -> missing from a run that did not plan the probe (deleted, renamed or filtered out) */
  'removed-probe',
] as const;

/** What a comparison reports: the transitions, plus what is not a change of one probe's state. */
export const CHANGE_KINDS = [
  ...TRANSITION_KINDS,
  /** a failure signature no base run had */
  'new-unknown',
  /** attempts of one run, or runs of one release, disagree */
  'flaky',
  /** execute time of a passing probe moved past --time-threshold */
  'timing',
  /** one side has no run of this tier: nothing to compare, never a regression */
  'tier-missing',
] as const;

/** Kinds that make `compare` exit 1 when --fail-on is not given. */
export const DEFAULT_FAIL_ON: Array<(typeof CHANGE_KINDS)[number]> = ['regression', 'new-failure', 'lost-coverage'];

