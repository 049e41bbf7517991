import { stageLabel } from '../classify/stage.js';
import { isSuccess, Status } from '../schemas/outcome.js';
import { STACKS, STACK_TITLES } from '../report/view.js';
import type { Occurrence } from './occurrences.js';
import type { SiteRun } from './site-run.js';
import { byTier, probeHref, push, releaseHref, stackVersions, systemTitles, versionLinks, type VersionLink } from './naming.js';
import { isReference } from '../device/system-title.js';

/** How many of a system's latest nights the history strip of a cell shows. */
export const STRIP_NIGHTS = 14;

export interface Mark {
  /** An outcome status, or `none` for a night this probe did not run on. */
  status: string;
  title: string;
}

export interface GridEntry {
  tier: string;
  stack: string;
  probe: string;
  title: string;
  status: string;
  date: string;
  category: string | null;
  layer: string | null;
  reason: string;
  decisive: string | null;
  /** How far a failing probe got ("failed at compile (TT-MLIR)"); null for a pass, a skip or a probe that wrote no stage. */
  stage: string | null;
  failing: boolean;
  probeHref: string;
  logHref: string | null;
  reportHref: string;
  releases: VersionLink[];
  strip: Mark[];
}

export interface GridCell {
  tier: string;
  stack: string;
  entries: GridEntry[];
}

export interface Grid {
  tiers: Array<{ tier: string; title: string }>;
  columns: Array<{ tier: string; tierTitle: string; stack: string; stackTitle: string }>;
  rows: Array<{ workload: string; cells: GridCell[] }>;
  summaries: Array<{ tier: string; stack: string; text: string; fwHref: string | null }>;
  filters: { tiers: Array<{ id: string; title: string }>; stacks: Array<{ id: string; title: string }>; statuses: string[] };
  /** CSS that makes the filter radios work without JavaScript (see filterCss). */
  filterCss: string;
}

const FAILING = new Set(['fail', 'crash', 'timeout', 'cpu-fallback']);

/** The latest outcome of every probe on every system, and its strip of recent nights. */
export function latestOccurrences(occurrences: Occurrence[]): Occurrence[] {
  const latest = new Map<string, Occurrence>();
  for (const occ of occurrences) latest.set(`${occ.tier}\u0000${occ.outcome.probe}`, occ);
  return [...latest.values()];
}

function strips(runs: SiteRun[]): Map<string, Array<{ run: SiteRun; status: Map<string, string> }>> {
  const ofTiers = new Map<string, SiteRun[]>();
  for (const r of runs) push(ofTiers, r.fingerprint.tier, r);
  const out = new Map<string, Array<{ run: SiteRun; status: Map<string, string> }>>();
  for (const [tier, ofTier] of ofTiers) {
    out.set(tier, ofTier.slice(-STRIP_NIGHTS).map((run) => ({ run, status: new Map(run.outcomes.map((o) => [o.probe, o.status])) })));
  }
  return out;
}

const IDENT = /^[a-z0-9][a-z0-9-]*$/;
function ident(s: string): string {
  if (!IDENT.test(s)) throw new Error(`not a CSS-safe identifier: ${JSON.stringify(s)}`);
  return s;
}

/**
 * Filters without JavaScript: one radio group per dimension, and CSS `:has()` rules that hide the
 * columns and entries the checked radios exclude, and the rows left with nothing to show. Only
 * enum values (tiers, stacks, statuses) go into the CSS, and each is checked to be a plain
 * identifier; no characters that HTML escaping would change appear in it.
 */
export function filterCss(tiers: string[], stacks: string[], statuses: string[]): string {
  const rules: string[] = [];
  for (const t of tiers.map(ident)) rules.push(`body:has(#sys-${t}:checked) .grid .col:not(.on-${t}) { display: none }`);
  for (const s of stacks.map(ident)) rules.push(`body:has(#stk-${s}:checked) .grid .col:not(.in-${s}) { display: none }`);
  for (const st of statuses.map(ident)) {
    rules.push(`body:has(#st-${st}:checked) .grid .entry:not(.is-${st}) { display: none }`);
    for (const t of ['all', ...tiers.map(ident)]) {
      for (const s of ['all', ...stacks.map(ident)]) {
        const entry = `.entry.is-${st}${t === 'all' ? '' : `.on-${t}`}${s === 'all' ? '' : `.in-${s}`}`;
        rules.push(`body:has(#st-${st}:checked):has(#sys-${t}:checked):has(#stk-${s}:checked) .grid tr.row:not(:has(${entry})) { display: none }`);
      }
    }
  }
  return rules.join('\n');
}

export function buildGrid(runs: SiteRun[], occurrences: Occurrence[]): Grid {
  const latest = latestOccurrences(occurrences);
  const tiers = [...new Set(latest.map((o) => o.tier))].sort(byTier);
  const workloads = [...new Set(latest.map((o) => o.outcome.workload))].sort();
  const recent = strips(runs);
  const titles = systemTitles(runs);
  const tierTitle = (tier: string) => titles.get(tier) ?? tier;
  const entryOf = (occ: Occurrence): GridEntry => {
    const o = occ.outcome;
    return {
      tier: occ.tier,
      stack: o.stack,
      probe: o.probe,
      title: o.title,
      status: o.status,
      date: occ.date,
      category: o.category,
      layer: o.layer,
      reason: o.reason,
      decisive: FAILING.has(o.status) ? o.evidence[0] ?? null : null,
      stage: stageLabel(o),
      failing: FAILING.has(o.status),
      probeHref: probeHref(o.probe),
      logHref: occ.logHref,
      reportHref: occ.reportHref,
      releases: versionLinks(occ.fingerprint, stackVersions(o.stack)),
      strip: (recent.get(occ.tier) ?? []).map(({ run, status }) => {
        const s = status.get(o.probe) ?? 'none';
        return { status: s, title: `${run.startedAt.slice(0, 16).replace('T', ' ')}: ${s === 'none' ? 'not run' : s}` };
      }),
    };
  };
  const cells = new Map<string, GridEntry[]>();
  for (const occ of latest.sort((a, b) => a.outcome.probe.localeCompare(b.outcome.probe))) {
    const key = `${occ.outcome.workload}\u0000${occ.tier}\u0000${occ.outcome.stack}`;
    push(cells, key, entryOf(occ));
  }
  const columns = tiers.flatMap((tier) => STACKS.map((stack) => ({ tier, tierTitle: tierTitle(tier), stack, stackTitle: STACK_TITLES[stack] })));
  const rows = workloads.map((workload) => ({
    workload,
    cells: columns.map(({ tier, stack }) => ({ tier, stack, entries: cells.get(`${workload}\u0000${tier}\u0000${stack}`) ?? [] })),
  }));

  // "TT-XLA: 2 of 5 workloads pass on N150 (fw 80.18.0.0)": a workload passes when all its probes do.
  const latestRun = new Map<string, SiteRun>();
  for (const r of runs) latestRun.set(r.fingerprint.tier, r);
  const summaries = columns.flatMap(({ tier, stack, tierTitle: system, stackTitle }) => {
    // A reference run (CPU, GPU) makes no headline about a Tenstorrent stack.
    if (isReference(latestRun.get(tier)?.target ?? 'tt')) return [];
    const withProbes = rows.map((r) => r.cells.find((c) => c.tier === tier && c.stack === stack)!).filter((c) => c.entries.length);
    if (!withProbes.length) return [];
    const passing = withProbes.filter((c) => c.entries.every((e) => isSuccess(e.status))).length;
    const fw = latestRun.get(tier)?.fingerprint.firmwareBundle ?? null;
    return [{
      tier,
      stack,
      text: `${stackTitle}: ${passing} of ${withProbes.length} workload${withProbes.length === 1 ? '' : 's'} ${tier.endsWith('-mock') ? 'compile' : 'pass'} on ${system} (fw ${fw ?? 'n/a'})`,
      fwHref: fw ? releaseHref('firmware', fw) : null,
    }];
  });

  const statuses = Status.options.filter((s) => latest.some((o) => o.outcome.status === s));
  return {
    tiers: tiers.map((tier) => ({ tier, title: tierTitle(tier) })),
    columns,
    rows,
    summaries,
    filters: {
      tiers: tiers.map((id) => ({ id, title: tierTitle(id) })),
      stacks: STACKS.map((id) => ({ id, title: STACK_TITLES[id] })),
      statuses,
    },
    filterCss: filterCss(tiers, [...STACKS], statuses),
  };
}
