import type { RunRecord } from '../schemas/run-record.js';
import type { SiteRun } from './site-run.js';

const made = new WeakMap<SiteRun, RunRecord>();

/**
 * A site run as compare() takes it. compare reads a record's run id, fingerprint, planned probes and
 * outcomes (status, category, rule, signature, stages, details, evidence, attempts, execute time): the site's
 * summaries carry exactly these. Made once per run, shared by the release pages and the feed.
 */
export function asCompareInput(run: SiteRun): RunRecord {
  let record = made.get(run);
  if (!record) {
    const outcomes = run.outcomes.map((o) => ({ ...o, result: o.executeS === null ? null : { timings: { execute_s: o.executeS } } }));
    record = { runId: run.runId, fingerprint: run.fingerprint, planned: run.planned, outcomes } as unknown as RunRecord;
    made.set(run, record);
  }
  return record;
}
