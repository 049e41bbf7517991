import type { RunRecord } from '../schemas/run-record.js';
import type { SiteRun } from './site-run.js';

const made = new WeakMap<SiteRun, RunRecord>();

/**
 * A site run as compare() takes it. compare reads a record's run id, fingerprint and outcomes
 * (status, category, rule, signature, details, evidence, attempts, execute time): the site's
 * summaries carry exactly these. Made once per run, shared by the release pages and the feed.
 */
export function asCompareInput(run: SiteRun): RunRecord {
  let record = made.get(run);
  if (!record) {
    const outcomes = run.outcomes.map((o) => ({ ...o, result: o.executeS === null ? null : { timings: { execute_s: o.executeS } } }));
    record = { runId: run.runId, fingerprint: run.fingerprint, outcomes } as unknown as RunRecord;
    made.set(run, record);
  }
  return record;
}
