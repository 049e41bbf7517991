import type { Fingerprint, RunRecord } from '../schemas/run-record.js';
import type { Change, Comparison, EnvironmentChange } from '../schemas/comparison.js';
import { KIND_ORDER } from './kinds.js';
import { compareRuns } from './compare-runs.js';
import { compareReleases } from './compare-releases.js';
import { brokenAgainstRuns } from './environment-health.js';
import { keyOf } from './keyed.js';
import { rankImpact } from '../report/impact.js';
import { markKnownFlakes } from '../flakes/flaky-changes.js';
import type { KnownFlakeSet } from '../flakes/known-flakes.js';

export interface CompareOptions {
  /** Relative change in execute time that counts as a timing change (0.2 = 20 %). */
  timeThreshold?: number;
  /** Absolute change under which timing noise is ignored, in seconds. */
  minTimeDelta?: number;
  /** Significance level for release-vs-release pass-rate changes. */
  alpha?: number;
  /** Known flakes (--flakes): their changes are `flaky`, and block nothing in the impact ranking. */
  flakes?: Pick<KnownFlakeSet, 'match'>;
}

function environmentChanges(base: Fingerprint, next: Fingerprint): EnvironmentChange[] {
  const fields: Array<keyof Fingerprint> = ['tier', 'firmwareBundle', 'kmd', 'plugin', 'ttMetal', 'jax', 'jaxlib', 'host'];
  return fields
    .filter((f) => (base[f] ?? null) !== (next[f] ?? null))
    .map((f) => ({ field: f, base: String(base[f] ?? 'n/a'), new: String(next[f] ?? 'n/a') }));
}

/** Failure signatures no base run had: a failure nobody has triaged yet. */
function newUnknowns(base: RunRecord[], next: RunRecord[]): Change[] {
  const known = new Set(base.flatMap((r) => r.outcomes.map((o) => o.signature)).filter(Boolean));
  const changes: Change[] = [];
  for (const r of next) {
    for (const o of r.outcomes) {
      if (!o.signature || known.has(o.signature)) continue;
      known.add(o.signature);
      changes.push({ kind: 'new-unknown', probe: o.probe, tier: r.fingerprint.tier, transition: `new failure signature ${o.signature}`, detail: o.evidence[0] });
    }
  }
  return changes;
}

/** Changes that leave a probe failing where it was not, or failing otherwise than before. */
const WORSE = new Set<Change['kind']>(['regression', 'new-failure', 'status-change', 'stage-change', 'changed-reason', 'new-unknown']);

/** What changed for the worse, by failure reason, ranked by how many workloads x systems x stacks it blocks. */
function impactOfChanges(changes: Change[], next: RunRecord[]) {
  const worse = new Set(changes.filter((c) => WORSE.has(c.kind)).map((c) => keyOf(c.tier, c.probe)));
  const latest = new Map<string, RunRecord>();
  for (const r of next) latest.set(r.fingerprint.tier, r);
  return rankImpact([...latest.values()].flatMap((r) =>
    r.outcomes.filter((o) => worse.has(keyOf(r.fingerprint.tier, o.probe))).map((outcome) => ({ tier: r.fingerprint.tier, outcome }))));
}

/** Base against new: one run each, or several (a release's nights) on either side. */
export function compare(base: RunRecord[], next: RunRecord[], options: CompareOptions = {}): Comparison {
  const timing = { timeThreshold: options.timeThreshold ?? 0.2, minTimeDelta: options.minTimeDelta ?? 0.5 };
  const release = base.length > 1 || next.length > 1;
  const changes = [
    ...(release ? compareReleases(base, next, options.alpha ?? 0.05) : compareRuns(base[0]!, next[0]!, timing)),
    ...newUnknowns(base, next),
  ];
  if (options.flakes) markKnownFlakes(changes, options.flakes);
  changes.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || x.probe.localeCompare(y.probe) || x.tier.localeCompare(y.tier));
  return {
    mode: release ? 'release' : 'run',
    base: base.map((r) => r.runId),
    new: next.map((r) => r.runId),
    environment: environmentChanges(base.at(-1)!.fingerprint, next.at(-1)!.fingerprint),
    brokenEnvironment: next.flatMap((r) => brokenAgainstRuns(r, base)),
    changes,
    impact: impactOfChanges(changes, next),
  };
}
