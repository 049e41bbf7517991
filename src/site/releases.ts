import { compare } from '../compare/compare.js';
import type { Change, ChangeKind, Comparison } from '../schemas/comparison.js';
import { DEFAULT_FAIL_ON } from '../schemas/change-kinds.js';
import { nightsPass } from '../compare/compare-releases.js';
import { fieldLabel } from '../compare/labels.js';
import { asCompareInput } from './compare-input.js';
import type { SiteRun } from './site-run.js';
import { RELEASE_KINDS, byTier, probeHref, push, releaseHref, runTitle, type ReleaseKind } from './naming.js';

export interface ChangeRow {
  probe: string;
  probeHref: string;
  transition: string;
  detail: string | null;
}

export interface ReleaseSystem {
  tier: string;
  title: string;
  runs: number;
  firstRun: string;
  lastRun: string;
  /** The version this system ran before this one, with its nights; null for the first version seen. */
  previous: { version: string; href: string; runs: number } | null;
  /** `run` for one night against one, `release` when either side has several (Fisher's exact test). */
  mode: 'run' | 'release' | null;
  fixed: ChangeRow[];
  broke: ChangeRow[];
  other: Array<ChangeRow & { kind: string }>;
  /** `nights`: in release mode, each side's passing nights (`2/2 nights pass -> 2/2 nights pass`). */
  unchanged: Array<{ probe: string; probeHref: string; status: string; nights: string | null }>;
  /** Other versions that changed at the same time, which share the credit or the blame. */
  alsoChanged: string[];
}

export interface ReleasePage {
  kind: ReleaseKind;
  kindTitle: string;
  version: string;
  file: string;
  firstSeen: string;
  systems: ReleaseSystem[];
}

export interface ReleaseLink {
  kind: ReleaseKind;
  kindTitle: string;
  version: string;
  href: string;
  firstSeen: string;
  fixed: number;
  broke: number;
}

/** What a nightly fails on is what a release broke; a failure that now passes, or a probe that now runs and passes, it fixed. */
const BROKE = new Set<ChangeKind>(DEFAULT_FAIL_ON);
const FIXED = new Set<ChangeKind>(['fix', 'new-coverage']);

/** The one place that reads compare's change kinds: what a release fixed, broke, or changed otherwise. */
function sortChanges(c: Comparison): Pick<ReleaseSystem, 'fixed' | 'broke' | 'other'> & { touched: Set<string> } {
  const row = (x: Change): ChangeRow => ({ probe: x.probe, probeHref: probeHref(x.probe), transition: x.transition, detail: x.detail ?? null });
  const shown = c.changes.filter((x) => x.kind !== 'timing' && x.kind !== 'tier-missing');
  const fixed = (x: Change) => FIXED.has(x.kind);
  const broke = (x: Change) => BROKE.has(x.kind);
  return {
    fixed: shown.filter(fixed).map(row),
    broke: shown.filter(broke).map(row),
    other: shown.filter((x) => !fixed(x) && !broke(x)).map((x) => ({ ...row(x), kind: x.kind })),
    touched: new Set(shown.filter((x) => x.kind !== 'new-unknown').map((x) => x.probe)),
  };
}

/** Per probe, `3/4 nights pass`: the nights of `runs` on which it reached a verdict, and how many passed. */
function passRates(runs: SiteRun[]): Map<string, string> {
  const counts = new Map<string, [number, number]>();
  for (const o of runs.flatMap((r) => r.outcomes)) {
    if (o.status === 'skip') continue;
    const c = counts.get(o.probe) ?? [0, 0];
    counts.set(o.probe, [c[0] + (o.status === 'pass' ? 1 : 0), c[1] + 1]);
  }
  return new Map([...counts].map(([probe, [passes, nights]]) => [probe, nightsPass(passes, nights)]));
}

/**
 * A page per firmware bundle, plugin and tt-metal version: per system, the nights on that version
 * compared with the nights on the version before it (compare's release-vs-release mode, with
 * Fisher's exact test, when either side has several nights).
 */
export function buildReleases(runs: SiteRun[]): ReleasePage[] {
  const pages: ReleasePage[] = [];
  const byTierRuns = new Map<string, SiteRun[]>();
  for (const r of runs) push(byTierRuns, r.fingerprint.tier, r);
  for (const { kind, field, title } of RELEASE_KINDS) {
    const perVersion = new Map<string, ReleaseSystem[]>();
    const firstSeen = new Map<string, string>();
    for (const [tier, ofTier] of [...byTierRuns].sort(([a], [b]) => byTier(a, b))) {
      const byVersion = new Map<string, SiteRun[]>();
      for (const r of ofTier) {
        const v = r.fingerprint[field];
        if (v) push(byVersion, v, r);
      }
      const order = [...byVersion.keys()];
      order.forEach((version, i) => {
        const these = byVersion.get(version)!;
        if (!firstSeen.has(version) || these[0]!.startedAt < firstSeen.get(version)!) firstSeen.set(version, these[0]!.startedAt);
        const system: ReleaseSystem = {
          tier, title: runTitle(these.at(-1)!), runs: these.length, firstRun: these[0]!.startedAt, lastRun: these.at(-1)!.startedAt,
          previous: null, mode: null, fixed: [], broke: [], other: [], unchanged: [], alsoChanged: [],
        };
        const prevVersion = order[i - 1];
        if (prevVersion) {
          const before = byVersion.get(prevVersion)!;
          const comparison = compare(before.map(asCompareInput), these.map(asCompareInput));
          const { touched, ...sorted } = sortChanges(comparison);
          const baseProbes = new Set(before.flatMap((r) => r.outcomes.map((o) => o.probe)));
          const latest = new Map(these.flatMap((r) => r.outcomes.map((o) => [o.probe, o.status] as const)));
          const rates = comparison.mode === 'release' ? [passRates(before), passRates(these)] : null;
          const nights = (probe: string) => rates ? `${rates[0]!.get(probe) ?? nightsPass(0, 0)} -> ${rates[1]!.get(probe) ?? nightsPass(0, 0)}` : null;
          Object.assign(system, sorted, {
            previous: { version: prevVersion, href: releaseHref(kind, prevVersion), runs: before.length },
            mode: comparison.mode,
            unchanged: [...latest].filter(([p]) => baseProbes.has(p) && !touched.has(p)).sort(([a], [b]) => a.localeCompare(b))
              .map(([probe, status]) => ({ probe, probeHref: probeHref(probe), status, nights: nights(probe) })),
            alsoChanged: comparison.environment.filter((e) => e.field !== field && e.field !== 'host').map((e) => `${fieldLabel(e.field)}: ${e.base} -> ${e.new}`),
          });
        }
        push(perVersion, version, system);
      });
    }
    for (const [version, systems] of perVersion) {
      pages.push({ kind, kindTitle: title, version, file: releaseHref(kind, version), firstSeen: firstSeen.get(version)!, systems });
    }
  }
  return pages.sort((a, b) => a.kind.localeCompare(b.kind) || a.firstSeen.localeCompare(b.firstSeen));
}

export function releaseLinks(pages: ReleasePage[]): ReleaseLink[] {
  return pages.map((p) => ({
    kind: p.kind,
    kindTitle: p.kindTitle,
    version: p.version,
    href: p.file,
    firstSeen: p.firstSeen,
    fixed: p.systems.reduce((n, s) => n + s.fixed.length, 0),
    broke: p.systems.reduce((n, s) => n + s.broke.length, 0),
  }));
}
