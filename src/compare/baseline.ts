import type { Baseline } from '../schemas/baseline.js';
import { isSuccess, type Outcome } from '../schemas/outcome.js';
import type { BaselineSummary, RunRecord } from '../schemas/run-record.js';
import { isFailingState, sideOf, type Side } from './transition.js';
import { attemptsDisagree } from './consistency.js';
import { describe, describeSide } from './describe.js';
import { brokenEnvironments, stoppedByEnvironment } from './environment-health.js';

type Expectation = Baseline['expectations'][string];
const EXPECT_PASS: Expectation = { status: 'pass' };

/** A baseline that expects exactly what `record` saw: status, category and rule (or signature). */
export function baselineFromRun(record: RunRecord): Baseline {
  const expectations: Baseline['expectations'] = {};
  for (const o of record.outcomes) {
    // Absent means "expected to succeed": pass, or compiled on a mock system.
    if (isSuccess(o.status)) continue;
    expectations[o.probe] = { status: o.status, category: o.category, ruleId: o.ruleId ?? o.signature, reason: o.reason };
  }
  return { schemaVersion: 1, source: record.runId, tier: record.fingerprint.tier, expectations };
}

type Judgement = 'expected' | 'unexpected-failure' | 'unexpected-pass' | 'unexpected-skip';

/**
 * An expectation names an outcome, not just "a failure": the status must match, and so must the
 * category and the rule id (or signature) where the baseline gives them. A probe expected to fail on
 * reduce_window that now segfaults is an unexpected failure.
 */
export function judge(expected: Expectation, o: Outcome): Judgement {
  if (o.status === 'skip') return expected.status === 'skip' ? 'expected' : 'unexpected-skip';
  // A run's success is pass on hardware and compiled on a mock; a baseline never crosses the two (run refuses it).
  if (isSuccess(o.status)) return isSuccess(expected.status) ? 'expected' : 'unexpected-pass';
  if (o.status !== expected.status) return 'unexpected-failure';
  if (expected.category && expected.category !== o.category) return 'unexpected-failure';
  if (expected.ruleId && expected.ruleId !== (o.ruleId ?? o.signature)) return 'unexpected-failure';
  return 'expected';
}

const describeExpectation = (e: Expectation) => describeSide({ state: e.status, category: e.category, ruleId: e.ruleId } satisfies Side);

/** The baseline expects the probe to reach a verdict on its stack (absent means "expected to pass"). */
const expectedToRun = (e: Expectation) => e.status !== 'skip' && !stoppedByEnvironment({ status: e.status, category: e.category ?? null });

/** Sorts a run's outcomes against expectations: what is news, and what is known. */
export function applyBaseline(record: RunRecord, baseline: Baseline): BaselineSummary {
  const summary: BaselineSummary = {
    source: baseline.source,
    expectedFailures: [],
    unexpectedFailures: [],
    unexpectedPasses: [],
    unexpectedSkips: [],
    flaky: [],
    mismatches: [],
    brokenEnvironment: [],
  };
  const lists = { 'unexpected-failure': summary.unexpectedFailures, 'unexpected-pass': summary.unexpectedPasses, 'unexpected-skip': summary.unexpectedSkips };
  for (const o of record.outcomes) {
    const expected = baseline.expectations[o.probe] ?? EXPECT_PASS;
    if (attemptsDisagree(o)) summary.flaky.push(o.probe);
    const verdict = judge(expected, o);
    if (verdict === 'expected') {
      if (isFailingState(o.status)) summary.expectedFailures.push(o.probe);
      continue;
    }
    lists[verdict].push(o.probe);
    // A failure in the words the baseline uses (rule ids) so the difference shows; a skip with what it lacks.
    const actual = o.status === 'skip' ? describe(o) : describeSide(sideOf(o, true));
    summary.mismatches.push({ probe: o.probe, expected: describeExpectation(expected), actual });
  }
  summary.brokenEnvironment = brokenEnvironments(record, (_stack, outcomes) =>
    outcomes.some((o) => expectedToRun(baseline.expectations[o.probe] ?? EXPECT_PASS)) ? `baseline ${baseline.source}` : null,
  );
  return summary;
}
