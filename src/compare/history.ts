import { isSuccess, type Outcome } from '../schemas/outcome.js';
import type { Fingerprint, RunRecord } from '../schemas/run-record.js';
import { attemptsDisagree, identityOf } from './consistency.js';
import { describe, describeSide } from './describe.js';

/** Versions that make two runs "the same software": everything in the fingerprint but the host. */
export function versionsOf(f: Fingerprint): string {
  return [
    `fw ${f.firmwareBundle ?? 'n/a'}`,
    `kmd ${f.kmd ?? 'n/a'}`,
    `plugin ${f.plugin ?? 'n/a'}`,
    `tt-metal ${f.ttMetal ?? 'n/a'}`,
    `jax ${f.jax ?? 'n/a'}`,
    `jaxlib ${f.jaxlib ?? 'n/a'}`,
  ].join(' · ');
}

export interface FlakyProbe {
  probe: string;
  tier: string;
  versions: string;
  passes: number;
  runs: number;
  /** Why: the attempts of one run disagree, or runs on these versions disagree, or both. */
  why: Array<'attempts disagree' | 'runs disagree'>;
  outcomes: string[];
}

export interface ConsistentFailure {
  probe: string;
  tier: string;
  versions: string;
  runs: number;
  attempts: number;
  outcome: string;
}

interface Group {
  probe: string;
  tier: string;
  versions: string;
  outcomes: Outcome[];
}

/**
 * Flaky only when attempts or runs on identical versions disagree (status, category, rule). A probe
 * tried more than once (retries, or several nights) and failing the same way every time is a
 * consistent failure, listed apart: the tries confirmed it. Skips say nothing about the probe.
 */
export function probeConsistency(records: RunRecord[]): { flaky: FlakyProbe[]; consistentFailures: ConsistentFailure[] } {
  const groups = new Map<string, Group>();
  for (const r of records) {
    const tier = r.fingerprint.tier;
    const versions = versionsOf(r.fingerprint);
    for (const o of r.outcomes) {
      if (o.status === 'skip') continue;
      const key = `${tier}|${versions}|${o.probe}`;
      const g = groups.get(key) ?? { probe: o.probe, tier, versions, outcomes: [] };
      g.outcomes.push(o);
      groups.set(key, g);
    }
  }
  const flaky: FlakyProbe[] = [];
  const consistentFailures: ConsistentFailure[] = [];
  for (const g of groups.values()) {
    const base = { probe: g.probe, tier: g.tier, versions: g.versions, runs: g.outcomes.length };
    const why: FlakyProbe['why'] = [];
    if (g.outcomes.some(attemptsDisagree)) why.push('attempts disagree');
    if (new Set(g.outcomes.map(identityOf)).size > 1) why.push('runs disagree');
    if (why.length) {
      const tries = g.outcomes.flatMap((o) => [...o.attempts, o]);
      const seen = [...new Set(tries.map((t) => describeSide({ state: t.status, category: t.category, ruleId: t.ruleId, signature: t.signature })))];
      flaky.push({ ...base, passes: g.outcomes.filter((o) => isSuccess(o.status)).length, why, outcomes: seen });
      continue;
    }
    const attempts = g.outcomes.reduce((n, o) => n + o.attempts.length + 1, 0);
    if (!isSuccess(g.outcomes[0]!.status) && attempts > 1) {
      consistentFailures.push({ ...base, attempts, outcome: describe(g.outcomes[0]) });
    }
  }
  return { flaky, consistentFailures };
}
