import type { Outcome } from '../schemas/outcome.js';
import { isSuccess } from '../schemas/names.js';
import type { Change } from '../schemas/comparison.js';
import type { RunRecord } from '../schemas/run-record.js';
import { fisherExact } from './fisher.js';
import { allKeys, sideOfRuns, splitKey } from './keyed.js';
import { detailOf, sideOf, transitionOf, type Side } from './transition.js';
import { identityOf } from './consistency.js';
import { describeSide, describeStageShift } from './describe.js';

/**
 * One side's probe in one state for transitionOf: the last night that reached a verdict, else the last
 * skip, else missing (planned when some night of the side planned it).
 */
function representative(outcomes: Outcome[], planned: boolean): Side {
  const last = outcomes.filter((o) => o.status !== 'skip').at(-1) ?? outcomes.at(-1);
  return sideOf(last, planned);
}

const EVERY_NIGHT = 'every night of one side passed and every night of the other fails: a change at any number of nights';

/** `2/3 nights pass`: a side's passes over the nights that reached a verdict, shown whether or not the change is significant. */
export const nightsPass = (passes: number, nights: number) => `${passes}/${nights} nights pass`;

/** Many nights on each side: pass rates per probe and tier, judged by Fisher's exact test. */
export function compareReleases(base: RunRecord[], next: RunRecord[], alpha: number): Change[] {
  const changes: Change[] = [];
  const b = sideOfRuns(base);
  const n = sideOfRuns(next);
  for (const key of allKeys(b, n)) {
    const [tier, probe] = splitKey(key);
    const all = { before: b.outcomes.get(key) ?? [], after: n.outcomes.get(key) ?? [] };
    const before = all.before.filter((o) => o.status !== 'skip');
    const after = all.after.filter((o) => o.status !== 'skip');
    const runs = `${before.length} run(s) -> ${after.length} run(s)`;
    if (!b.tiers.has(tier) || !n.tiers.has(tier)) {
      changes.push({ kind: 'tier-missing', probe, tier, transition: runs, detail: `no ${tier} run on the ${b.tiers.has(tier) ? 'new' : 'base'} side` });
      continue;
    }
    const from = representative(all.before, b.planned.has(key));
    const to = representative(all.after, n.planned.has(key));
    if (!before.length || !after.length) {
      // Ran on at most one side: the same table as run against run, on each side's latest state.
      const kind = transitionOf(from, to);
      if (kind) changes.push({ kind, probe, tier, transition: `${describeSide(from)} -> ${describeSide(to)} (${runs})`, from: detailOf(from), to: detailOf(to) });
      continue;
    }
    // On a mock system the success is `compiled`; mock runs are only ever paired with mock runs.
    const bp = before.filter((o) => isSuccess(o.status)).length;
    const np = after.filter((o) => isSuccess(o.status)).length;
    const pValue = fisherExact(bp, before.length - bp, np, after.length - np);
    const rates = { basePasses: bp, baseRuns: before.length, newPasses: np, newRuns: after.length, pValue };
    const counts = `${nightsPass(bp, before.length)} -> ${nightsPass(np, after.length)}`;
    // The harness is deterministic: every night passing before and every night failing now (or the
    // reverse) is a change at any count. Fisher's test is for sides that disagree among their own nights.
    if (bp === before.length && np === 0) {
      changes.push({ kind: 'regression', probe, tier, transition: `${counts}, ${describeSide(to)}`, rates, from: detailOf(from), to: detailOf(to), detail: EVERY_NIGHT });
      continue;
    }
    if (bp === 0 && np === after.length) {
      changes.push({ kind: 'fix', probe, tier, transition: `${counts}, was ${describeSide(from)}`, rates, from: detailOf(from), to: detailOf(to), detail: EVERY_NIGHT });
      continue;
    }
    const transition = `${counts} (p = ${pValue.toPrecision(2)})`;
    const baseRate = bp / before.length;
    const newRate = np / after.length;
    if (pValue < alpha && newRate < baseRate) changes.push({ kind: 'regression', probe, tier, transition, rates });
    else if (pValue < alpha && newRate > baseRate) changes.push({ kind: 'fix', probe, tier, transition, rates });
    else if ((bp > 0 && bp < before.length) || (np > 0 && np < after.length)) {
      changes.push({ kind: 'flaky', probe, tier, transition, rates, detail: 'passes some nights and fails others; the difference is not significant' });
    } else if (bp === 0 && np === 0) {
      // Failing on every night of both sides: news only when tonight fails in a way no base night did.
      const known = new Set(before.map(identityOf));
      if (!after.every((o) => known.has(identityOf(o)))) {
        const kind = transitionOf(from, to) ?? 'changed-reason';
        changes.push({ kind, probe, tier, transition: `${describeSide(from)} -> ${describeSide(to)}`, from: detailOf(from), to: detailOf(to), detail: kind === 'stage-change' ? describeStageShift(from, to) : undefined });
      }
    }
  }
  return changes;
}
