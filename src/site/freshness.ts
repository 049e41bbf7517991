import type { SiteRun } from './site-run.js';
import { byTier, runTitle } from './naming.js';

/** Per system: when its latest run started, and whether that is too long ago. */
export interface SystemFreshness {
  tier: string;
  title: string;
  latestRunId: string;
  latestRunAt: string;
  ageHours: number;
  stale: boolean;
}

export const DEFAULT_STALE_AFTER_HOURS = 48;

/** Nightly data that stopped arriving is a finding: a system whose latest run is older than the limit is stale. */
export function freshnessOf(runs: SiteRun[], now: Date, staleAfterHours: number): SystemFreshness[] {
  const latest = new Map<string, SiteRun>();
  for (const r of runs) latest.set(r.fingerprint.tier, r);
  return [...latest.values()]
    .sort((a, b) => byTier(a.fingerprint.tier, b.fingerprint.tier))
    .map((r) => {
      const ageHours = (now.getTime() - Date.parse(r.startedAt)) / 3_600_000;
      return {
        tier: r.fingerprint.tier,
        title: runTitle(r),
        latestRunId: r.runId,
        latestRunAt: r.startedAt,
        ageHours,
        stale: !(ageHours <= staleAfterHours),
      };
    });
}

/** `2d`, `36h`, `90m` or a bare number of days, in hours; null when it is none of these. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(d|h|m)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  return unit === 'd' ? n * 24 : unit === 'h' ? n : n / 60;
}
