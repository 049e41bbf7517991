import type { Outcome } from '../schemas/outcome.js';
import type { RunRecord } from '../schemas/run-record.js';

/** Probes are paired by tier and id: an N150 outcome is never compared with a T3K one. */
export const keyOf = (tier: string, probe: string) => `${tier}\u0000${probe}`;
export const splitKey = (key: string) => key.split('\u0000') as [string, string];

export interface Side {
  outcomes: Map<string, Outcome[]>;
  planned: Set<string>;
  tiers: Set<string>;
}

/** The runs of one side, by tier and probe: every outcome, and every probe any run planned. */
export function sideOfRuns(records: RunRecord[]): Side {
  const side: Side = { outcomes: new Map(), planned: new Set(), tiers: new Set() };
  for (const r of records) {
    const tier = r.fingerprint.tier;
    side.tiers.add(tier);
    for (const p of r.planned) side.planned.add(keyOf(tier, p));
    for (const o of r.outcomes) {
      const key = keyOf(tier, o.probe);
      side.outcomes.set(key, [...(side.outcomes.get(key) ?? []), o]);
    }
  }
  return side;
}

/** Every tier and probe either side ran or planned, in a stable order. */
export function allKeys(a: Side, b: Side): string[] {
  return [...new Set([...a.outcomes.keys(), ...a.planned, ...b.outcomes.keys(), ...b.planned])];
}
