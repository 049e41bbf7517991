import type { Baseline } from '../schemas/baseline.js';
import type { BaselineSummary, RunRecord } from '../schemas/run-record.js';

const FAILING = new Set(['fail', 'crash', 'timeout', 'cpu-fallback']);

/** A baseline that expects exactly what `record` saw. */
export function baselineFromRun(record: RunRecord): Baseline {
  const expectations: Baseline['expectations'] = {};
  for (const o of record.outcomes) {
    if (o.status === 'pass') continue;
    expectations[o.probe] = { status: o.status, category: o.category, ruleId: o.ruleId ?? o.signature, reason: o.reason };
  }
  return { schemaVersion: 1, source: record.runId, tier: record.fingerprint.tier, expectations };
}

/** Sorts a run's outcomes against expectations: what is news, and what is known. */
export function applyBaseline(record: RunRecord, baseline: Baseline): BaselineSummary {
  const summary: BaselineSummary = { source: baseline.source, expectedFailures: [], unexpectedFailures: [], unexpectedPasses: [], flaky: [] };
  for (const o of record.outcomes) {
    const expected = baseline.expectations[o.probe]?.status ?? 'pass';
    const expectedFailing = FAILING.has(expected);
    if (o.status === 'pass' && o.attempts.length) summary.flaky.push(o.probe);
    if (FAILING.has(o.status)) (expectedFailing ? summary.expectedFailures : summary.unexpectedFailures).push(o.probe);
    else if (o.status === 'pass' && expectedFailing) summary.unexpectedPasses.push(o.probe);
  }
  return summary;
}
