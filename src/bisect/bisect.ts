import type { Outcome } from '../schemas/outcome.js';
import { stageLabel } from '../classify/stage.js';

/** What one tested version did over its repeats. */
export interface VersionVerdict {
  version: string;
  /** The verdict all repeats agreed on; null when they disagreed (a flake). */
  key: string | null;
  text: string;
  runDirs: string[];
}

/** Two outcomes have the same verdict when status, category, rule (or unknown signature) and failing stage agree. */
export function verdictKey(o: Outcome): string {
  return JSON.stringify([o.status, o.category, o.ruleId ?? o.signature, o.stages?.failedAt ?? null]);
}

export function verdictText(o: Outcome): string {
  const what = [o.status, o.category && o.category !== o.status ? o.category : null].filter(Boolean).join(': ');
  const rule = o.ruleId ? ` (${o.ruleId})` : '';
  const stage = stageLabel(o);
  return `${what}${rule}${stage ? `, ${stage}` : ''}: ${o.reason.slice(0, 160)}`;
}

export function versionVerdict(version: string, outcomes: Outcome[], runDirs: string[]): VersionVerdict {
  const keys = outcomes.map(verdictKey);
  if (keys.every((k) => k === keys[0])) return { version, key: keys[0] ?? null, text: verdictText(outcomes[0]!), runDirs };
  const counts = new Map<string, { n: number; text: string }>();
  outcomes.forEach((o, i) => {
    const seen = counts.get(keys[i]!) ?? { n: 0, text: verdictText(o) };
    seen.n++;
    counts.set(keys[i]!, seen);
  });
  const parts = [...counts.values()].map((c) => `${c.n} of ${outcomes.length}: ${c.text}`);
  return { version, key: null, text: `flaky (${parts.join('; ')})`, runDirs };
}

/** A version pip could not install: skipped, as `git bisect skip` would. */
export class SkipVersion extends Error {}

export interface BisectEvents {
  tested?(v: VersionVerdict, role: 'good' | 'bad' | 'step', sameAsGood: boolean | null): void;
  skipped?(version: string, why: string): void;
}

export type BisectResult =
  | { kind: 'no-change'; good: VersionVerdict; bad: VersionVerdict }
  | { kind: 'good-flaky'; good: VersionVerdict }
  | { kind: 'culprit'; lastGood: VersionVerdict; culprit: VersionVerdict; skippedBetween: string[] };

/** Steps left after the two ends, at most: one per halving of the versions between them. */
export function stepsFor(count: number): number {
  return count > 2 ? Math.ceil(Math.log2(count - 1)) : 0;
}

/**
 * Bisects `versions` (good first, bad last) to the first version whose verdict differs from the
 * good one's. A flaky version differs: the good one's verdict was stable over the same repeats.
 */
export async function bisect(versions: string[], test: (version: string) => Promise<VersionVerdict>, events: BisectEvents = {}): Promise<BisectResult> {
  const good = await test(versions[0]!);
  events.tested?.(good, 'good', null);
  if (good.key === null) return { kind: 'good-flaky', good };
  const bad = await test(versions.at(-1)!);
  const same = (v: VersionVerdict) => v.key === good.key;
  events.tested?.(bad, 'bad', same(bad));
  if (same(bad)) return { kind: 'no-change', good, bad };

  const verdicts = new Map([[0, good], [versions.length - 1, bad]]);
  const skipped = new Set<number>();
  let lo = 0;
  let hi = versions.length - 1;
  for (;;) {
    const candidates: number[] = [];
    for (let i = lo + 1; i < hi; i++) if (!skipped.has(i)) candidates.push(i);
    if (!candidates.length) break;
    const mid = candidates[Math.floor((candidates.length - 1) / 2)]!;
    let verdict: VersionVerdict;
    try {
      verdict = await test(versions[mid]!);
    } catch (err) {
      if (!(err instanceof SkipVersion)) throw err;
      skipped.add(mid);
      events.skipped?.(versions[mid]!, err.message);
      continue;
    }
    verdicts.set(mid, verdict);
    events.tested?.(verdict, 'step', same(verdict));
    if (same(verdict)) lo = mid;
    else hi = mid;
  }
  const skippedBetween = [...skipped].filter((i) => i > lo && i < hi).sort((a, b) => a - b).map((i) => versions[i]!);
  return { kind: 'culprit', lastGood: verdicts.get(lo)!, culprit: verdicts.get(hi)!, skippedBetween };
}
