import type { Outcome } from '../schemas/outcome.js';
import type { Change } from '../schemas/comparison.js';
import type { RunRecord } from '../schemas/run-record.js';
import { allKeys, sideOfRuns, splitKey } from './keyed.js';
import { detailOf, sideOf, transitionOf } from './transition.js';
import { attemptsDisagree } from './consistency.js';
import { describe, describeStageShift } from './describe.js';

export interface TimingOptions {
  /** Relative change in execute time that counts as a timing change (0.2 = 20 %). */
  timeThreshold: number;
  /** Absolute change under which timing noise is ignored, in seconds. */
  minTimeDelta: number;
}

const execTime = (o: Outcome) => o.result?.timings.execute_s ?? o.durationS;

function timingChange(before: Outcome, after: Outcome, opts: TimingOptions): string | null {
  const t0 = execTime(before);
  const t1 = execTime(after);
  if (Math.abs(t1 - t0) < opts.minTimeDelta || Math.abs(t1 - t0) / Math.max(t0, 1e-9) < opts.timeThreshold) return null;
  const pct = ((t1 - t0) / t0) * 100;
  return `${t0.toFixed(2)} s -> ${t1.toFixed(2)} s (${pct > 0 ? '+' : ''}${pct.toFixed(0)} %)`;
}

/** One run against one run: every probe's transition, flakes within the new run, timing. */
export function compareRuns(base: RunRecord, next: RunRecord, opts: TimingOptions): Change[] {
  const changes: Change[] = [];
  const b = sideOfRuns([base]);
  const n = sideOfRuns([next]);
  for (const key of allKeys(b, n)) {
    const [tier, probe] = splitKey(key);
    const before = b.outcomes.get(key)?.[0];
    const after = n.outcomes.get(key)?.[0];
    const beforePlanned = b.planned.has(key);
    const afterPlanned = n.planned.has(key);
    const transition = `${describe(before, beforePlanned)} -> ${describe(after, afterPlanned)}`;
    if (!b.tiers.has(tier) || !n.tiers.has(tier)) {
      changes.push({ kind: 'tier-missing', probe, tier, transition, detail: `no ${tier} run on the ${b.tiers.has(tier) ? 'new' : 'base'} side` });
      continue;
    }
    const from = sideOf(before, beforePlanned);
    const to = sideOf(after, afterPlanned);
    const kind = transitionOf(from, to);
    if (kind) changes.push({ kind, probe, tier, transition, from: detailOf(from), to: detailOf(to), detail: kind === 'stage-change' ? describeStageShift(from, to) : after?.status === 'skip' ? after.reason : undefined });
    if (after && attemptsDisagree(after)) {
      const history = [...after.attempts.map((a) => a.status), after.status].join(', then ');
      changes.push({ kind: 'flaky', probe, tier, transition, detail: `attempts disagree: ${history}` });
    }
    if (before?.status === 'pass' && after?.status === 'pass') {
      const timing = timingChange(before, after, opts);
      if (timing) changes.push({ kind: 'timing', probe, tier, transition: timing });
    }
  }
  return changes;
}
