import type { Outcome, Status } from '../schemas/outcome.js';
import type { Fingerprint, RunRecord } from '../schemas/run-record.js';
import { fisherExact } from './fisher.js';

export type ChangeKind = 'regression' | 'fix' | 'changed-reason' | 'new-unknown' | 'new-probe' | 'removed-probe' | 'missing' | 'newly-skipped' | 'timing' | 'flaky';

export interface Change {
  kind: ChangeKind;
  probe: string;
  tier: string;
  transition: string;
  detail?: string;
  /** Release mode: pass counts and the test's p-value. */
  rates?: { basePasses: number; baseRuns: number; newPasses: number; newRuns: number; pValue: number };
}

export interface EnvironmentChange {
  field: keyof Fingerprint;
  base: string;
  new: string;
}

export interface Comparison {
  mode: 'run' | 'release';
  base: string[];
  new: string[];
  environment: EnvironmentChange[];
  changes: Change[];
}

export interface CompareOptions {
  /** Relative change in execute time that counts as a timing change (0.2 = 20 %). */
  timeThreshold?: number;
  /** Absolute change under which timing noise is ignored, in seconds. */
  minTimeDelta?: number;
  /** Significance level for release-vs-release pass-rate changes. */
  alpha?: number;
}

const FAILING: Status[] = ['fail', 'crash', 'timeout', 'cpu-fallback'];
const isFailing = (o: Outcome) => FAILING.includes(o.status);

/** `fail (unsupported-op: stablehlo.reduce_window)`, `pass`, `skip (missing: ttnn)`. */
export function describe(o: Outcome | undefined): string {
  if (!o) return 'absent';
  if (o.status === 'pass') return o.attempts.length ? `pass (flaky: passed on attempt ${o.attempt})` : 'pass';
  const detail = o.details.op ?? o.details.missing ?? o.ruleId ?? o.signature ?? null;
  const inner = [o.category, detail].filter(Boolean).join(': ');
  return inner ? `${o.status} (${inner})` : o.status;
}

const identity = (o: Outcome) => `${o.status}|${o.category}|${o.ruleId ?? o.signature ?? ''}`;
const execTime = (o: Outcome) => o.result?.timings.execute_s ?? o.durationS;

function environmentChanges(base: Fingerprint, next: Fingerprint): EnvironmentChange[] {
  const fields: Array<keyof Fingerprint> = ['tier', 'firmwareBundle', 'kmd', 'plugin', 'ttMetal', 'jax', 'jaxlib', 'host'];
  return fields
    .filter((f) => (base[f] ?? null) !== (next[f] ?? null))
    .map((f) => ({ field: f, base: String(base[f] ?? 'n/a'), new: String(next[f] ?? 'n/a') }));
}

function keyed(records: RunRecord[]): Map<string, Outcome[]> {
  const map = new Map<string, Outcome[]>();
  for (const r of records) {
    for (const o of r.outcomes) {
      const key = `${r.fingerprint.tier}\u0000${o.probe}`;
      const list = map.get(key);
      if (list) list.push(o);
      else map.set(key, [o]);
    }
  }
  return map;
}

/** One run against one run: every probe's transition. */
function compareRuns(base: RunRecord, next: RunRecord, opts: Required<CompareOptions>): Change[] {
  const changes: Change[] = [];
  const b = keyed([base]);
  const n = keyed([next]);
  const baseTiers = new Set<string>([base.fingerprint.tier]);
  const newTiers = new Set<string>([next.fingerprint.tier]);
  for (const key of new Set([...b.keys(), ...n.keys()])) {
    const [tier, probe] = key.split('\u0000') as [string, string];
    const before = b.get(key)?.[0];
    const after = n.get(key)?.[0];
    const transition = `${describe(before)} -> ${describe(after)}`;
    if (!before || !after) {
      const tierMissing = !before ? !baseTiers.has(tier) : !newTiers.has(tier);
      const kind: ChangeKind = tierMissing ? 'missing' : !before ? 'new-probe' : 'removed-probe';
      changes.push({ kind, probe, tier, transition, detail: tierMissing ? `no ${tier} run on the ${!before ? 'base' : 'new'} side` : undefined });
      continue;
    }
    if (after.status === 'pass' && after.attempts.length) changes.push({ kind: 'flaky', probe, tier, transition, detail: `failed ${after.attempts.length} time(s) before passing` });
    if (before.status === 'pass' && isFailing(after)) changes.push({ kind: 'regression', probe, tier, transition });
    else if (isFailing(before) && after.status === 'pass') changes.push({ kind: 'fix', probe, tier, transition });
    else if (before.status === 'pass' && after.status === 'skip') changes.push({ kind: 'newly-skipped', probe, tier, transition, detail: after.reason });
    else if (isFailing(before) && isFailing(after) && identity(before) !== identity(after)) {
      changes.push({ kind: 'changed-reason', probe, tier, transition });
    } else if (before.status === 'pass' && after.status === 'pass') {
      const t0 = execTime(before);
      const t1 = execTime(after);
      if (Math.abs(t1 - t0) >= opts.minTimeDelta && Math.abs(t1 - t0) / Math.max(t0, 1e-9) >= opts.timeThreshold) {
        const pct = ((t1 - t0) / t0) * 100;
        changes.push({ kind: 'timing', probe, tier, transition: `${t0.toFixed(2)} s -> ${t1.toFixed(2)} s (${pct > 0 ? '+' : ''}${pct.toFixed(0)} %)` });
      }
    }
  }
  return changes;
}

/** Many nights on each side: pass rates per probe and tier, judged by Fisher's exact test. */
function compareReleases(base: RunRecord[], next: RunRecord[], opts: Required<CompareOptions>): Change[] {
  const changes: Change[] = [];
  const b = keyed(base);
  const n = keyed(next);
  const baseTiers = new Set<string>(base.map((r) => r.fingerprint.tier));
  const newTiers = new Set<string>(next.map((r) => r.fingerprint.tier));
  for (const key of new Set([...b.keys(), ...n.keys()])) {
    const [tier, probe] = key.split('\u0000') as [string, string];
    const before = (b.get(key) ?? []).filter((o) => o.status !== 'skip');
    const after = (n.get(key) ?? []).filter((o) => o.status !== 'skip');
    if (!before.length || !after.length) {
      const tierMissing = !before.length ? !baseTiers.has(tier) : !newTiers.has(tier);
      changes.push({
        kind: tierMissing ? 'missing' : !before.length ? 'new-probe' : 'removed-probe',
        probe, tier, transition: `${before.length} run(s) -> ${after.length} run(s)`,
      });
      continue;
    }
    const bp = before.filter((o) => o.status === 'pass').length;
    const np = after.filter((o) => o.status === 'pass').length;
    const pValue = fisherExact(bp, before.length - bp, np, after.length - np);
    const rates = { basePasses: bp, baseRuns: before.length, newPasses: np, newRuns: after.length, pValue };
    const rate = (p: number, t: number) => `${p}/${t} pass`;
    const transition = `${rate(bp, before.length)} -> ${rate(np, after.length)} (p = ${pValue.toPrecision(2)})`;
    const baseRate = bp / before.length;
    const newRate = np / after.length;
    if (pValue < opts.alpha && newRate < baseRate) changes.push({ kind: 'regression', probe, tier, transition, rates });
    else if (pValue < opts.alpha && newRate > baseRate) changes.push({ kind: 'fix', probe, tier, transition, rates });
    else if ((bp > 0 && bp < before.length) || (np > 0 && np < after.length)) {
      changes.push({ kind: 'flaky', probe, tier, transition, rates, detail: 'passes some nights and fails others; the difference is not significant' });
    } else if (bp === 0 && np === 0) {
      const reasons = (os: Outcome[]) => new Set(os.map(identity));
      const same = [...reasons(after)].every((r) => reasons(before).has(r));
      if (!same) changes.push({ kind: 'changed-reason', probe, tier, transition: `${describe(before.at(-1))} -> ${describe(after.at(-1))}` });
    }
  }
  return changes;
}

export function compare(base: RunRecord[], next: RunRecord[], options: CompareOptions = {}): Comparison {
  const opts = {
    timeThreshold: options.timeThreshold ?? 0.2,
    minTimeDelta: options.minTimeDelta ?? 0.5,
    alpha: options.alpha ?? 0.05,
  };
  const release = base.length > 1 || next.length > 1;
  const changes = release ? compareReleases(base, next, opts) : compareRuns(base[0]!, next[0]!, opts);
  const known = new Set(base.flatMap((r) => r.outcomes.map((o) => o.signature)).filter(Boolean));
  for (const r of next) {
    for (const o of r.outcomes) {
      if (o.signature && !known.has(o.signature)) {
        known.add(o.signature);
        changes.push({ kind: 'new-unknown', probe: o.probe, tier: r.fingerprint.tier, transition: `new failure signature ${o.signature}`, detail: o.evidence[0] });
      }
    }
  }
  const order: ChangeKind[] = ['regression', 'new-unknown', 'fix', 'changed-reason', 'flaky', 'newly-skipped', 'new-probe', 'removed-probe', 'missing', 'timing'];
  changes.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind) || x.probe.localeCompare(y.probe) || x.tier.localeCompare(y.tier));
  return {
    mode: release ? 'release' : 'run',
    base: base.map((r) => r.runId),
    new: next.map((r) => r.runId),
    environment: environmentChanges(base.at(-1)!.fingerprint, next.at(-1)!.fingerprint),
    changes,
  };
}
