import type { CatalogEntry } from '../schemas/catalog.js';
import { isSuccess, Status } from '../schemas/outcome.js';
import { lineChart, STATUS_COLORS, type ChartView } from './charts.js';
import { byTier, push } from './naming.js';
import { isReference } from '../device/system-title.js';
import type { Occurrence } from './occurrences.js';
import type { SiteOutcome, SiteRun } from './site-run.js';
import { opCensusRows, type OpCensusRow } from './op-census.js';

export interface ProbePage {
  id: string;
  title: string;
  stack: string;
  workload: string;
  perTier: Array<{ tier: string; latest: Occurrence; lastPassing: Occurrence | null; firstFailing: Occurrence | null }>;
  history: Occurrence[];
  /** Every firmware, plugin and tt-metal version this probe ran on, linking to its release page. */
  releases: Array<{ label: string; href: string; nights: number; passes: number }>;
  durationChart: ChartView;
}

export interface OpPage {
  op: string;
  entry: CatalogEntry | null;
  probes: OpCensusRow[];
  failures: Occurrence[];
}

export interface SignaturePage {
  signature: string;
  firstSeen: string;
  lastSeen: string;
  occurrences: Occurrence[];
}

export interface KnownErrorRow {
  ruleId: string;
  title: string;
  /** Where the known error is filed upstream (the catalog entry's links). */
  links: string[];
  tier: string;
  system: string;
  probes: string[];
  /** The layer and decisive line of its latest sighting, as the verdict recorded them. */
  layer: string | null;
  decisive: string | null;
  firstSeen: Occurrence;
  lastSeen: Occurrence;
  /** The first later run of the same probe on the same tier that passed. */
  fixedIn: Occurrence | null;
}

export interface ScalingRow {
  probe: string;
  workload: string;
  tiers: Array<{ tier: string; executeS: string; throughput: string; speedup: string }>;
}

/** The pages that follow history: per probe, op and unknown signature, and the tables over all runs. */
export interface HistoryModel {
  statusChart: ChartView;
  probes: ProbePage[];
  ops: OpPage[];
  signatures: SignaturePage[];
  scaling: ScalingRow[];
  knownErrors: KnownErrorRow[];
}

function throughputOf(o: SiteOutcome): number | null {
  const metrics = o.metrics;
  const key = Object.keys(metrics).find((k) => /_per_s$|throughput|gflops|tflops/.test(k));
  return key ? metrics[key]! : null;
}

/** Everything the site shows about history, computed from the runs' outcomes alone. Pure. */
export function buildHistory(runs: SiteRun[], occurrences: Occurrence[], catalog: CatalogEntry[]): HistoryModel {
  const entries = new Map(catalog.map((e) => [e.id, e]));
  const unsupported = new Map<string, CatalogEntry>();
  for (const e of catalog) for (const op of e.unsupportedOps) if (!unsupported.has(op)) unsupported.set(op, e);

  // Per probe: history, last passing and first failing (of the current failing streak) per tier.
  const byProbe = new Map<string, Occurrence[]>();
  for (const occ of occurrences) push(byProbe, occ.outcome.probe, occ);
  const probes: ProbePage[] = [...byProbe].sort(([a], [b]) => a.localeCompare(b)).map(([id, history]) => {
    const perTier = [...new Set(history.map((h) => h.tier))].sort(byTier).map((tier) => {
      const ofTier = history.filter((h) => h.tier === tier);
      const lastPassIndex = ofTier.map((h) => isSuccess(h.outcome.status)).lastIndexOf(true);
      const latestOcc = ofTier[ofTier.length - 1]!;
      return {
        tier,
        latest: latestOcc,
        lastPassing: lastPassIndex >= 0 ? ofTier[lastPassIndex]! : null,
        firstFailing: isSuccess(latestOcc.outcome.status) ? null : ofTier[lastPassIndex + 1] ?? null,
      };
    });
    const seriesTiers = [...new Set(history.map((h) => h.tier))].sort(byTier);
    const palette = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#57606a'];
    const durationChart = lineChart(
      seriesTiers.map((tier, i) => ({
        label: perTier.find((t) => t.tier === tier)!.latest.system,
        color: palette[i % palette.length]!,
        values: history.map((h) => (h.tier === tier ? h.outcome.durationS : null)),
      })),
      history.map((h) => h.date),
      { unit: 's', yTitle: 'duration (s)' },
    );
    const releases = new Map<string, { label: string; href: string; nights: number; passes: number }>();
    for (const h of history) {
      for (const { label, href } of h.releases) {
        if (!href) continue;
        const r = releases.get(href) ?? { label, href, nights: 0, passes: 0 };
        r.nights++;
        if (isSuccess(h.outcome.status)) r.passes++;
        releases.set(href, r);
      }
    }
    const first = history[0]!.outcome;
    return {
      id, title: first.title, stack: first.stack, workload: first.workload, perTier, history: [...history].reverse(),
      releases: [...releases.values()], durationChart,
    };
  });

  // Per op: which probes' census phases hold it, and where it was the op of a failure.
  const opProbes = opCensusRows(occurrences, new Set(unsupported.keys()));
  const opFailures = new Map<string, Occurrence[]>();
  for (const occ of occurrences) {
    const op = occ.outcome.details.op;
    if (op && !isSuccess(occ.outcome.status)) push(opFailures, op, occ);
  }
  const opNames = [...new Set([...opProbes.keys(), ...opFailures.keys(), ...unsupported.keys()])].sort();
  const ops: OpPage[] = opNames.map((op) => ({
    op,
    entry: unsupported.get(op) ?? (opFailures.get(op)?.[0]?.outcome.ruleId ? entries.get(opFailures.get(op)![0]!.outcome.ruleId!) ?? null : null),
    probes: opProbes.get(op) ?? [],
    failures: [...(opFailures.get(op) ?? [])].reverse(),
  }));

  // Per unknown signature: every run it appeared in.
  const bySignature = new Map<string, Occurrence[]>();
  for (const occ of occurrences) {
    const sig = occ.outcome.signature;
    if (sig) push(bySignature, sig, occ);
  }
  const signatures: SignaturePage[] = [...bySignature].sort(([a], [b]) => a.localeCompare(b)).map(([signature, occ]) => ({
    signature,
    firstSeen: occ[0]!.date,
    lastSeen: occ[occ.length - 1]!.date,
    occurrences: [...occ].reverse(),
  }));

  // Measured scaling: the latest passing run of each probe on each tier, against N150.
  const scaling: ScalingRow[] = [];
  for (const page of probes) {
    // A reference run (CPU, GPU) is no Tenstorrent system to scale to.
    const passing = page.perTier.filter((t) => t.lastPassing && !isReference(t.latest.target)).map((t) => ({ tier: t.tier, o: t.lastPassing!.outcome }));
    if (passing.length < 2) continue;
    const execOf = (o: SiteOutcome) => o.executeS ?? o.durationS;
    const base = passing.find((p) => p.tier === 'n150');
    scaling.push({
      probe: page.id,
      workload: page.workload,
      tiers: passing.map(({ tier, o }) => {
        const t = throughputOf(o);
        return {
          tier,
          executeS: execOf(o).toFixed(2),
          throughput: t === null ? 'n/a' : t.toPrecision(4),
          speedup: base ? `${(execOf(base.o) / execOf(o)).toFixed(2)}x` : 'n/a (no N150 run)',
        };
      }),
    });
  }

  // Each known error: where it was first and last seen, and where it stopped (per tier).
  const knownErrors: KnownErrorRow[] = [];
  const byRuleTier = new Map<string, Occurrence[]>();
  for (const occ of occurrences) if (occ.outcome.ruleId && occ.outcome.status !== 'pass') push(byRuleTier, `${occ.outcome.ruleId}\u0000${occ.tier}`, occ);
  for (const [key, seen] of byRuleTier) {
    const [ruleId, tier] = key.split('\u0000') as [string, string];
    const last = seen[seen.length - 1]!;
    const fixedIn = occurrences.find(
      (o) => o.tier === tier && o.outcome.probe === last.outcome.probe && o.date > last.date && o.outcome.status === 'pass',
    ) ?? null;
    knownErrors.push({
      ruleId,
      title: entries.get(ruleId)?.title ?? ruleId,
      links: entries.get(ruleId)?.links ?? [],
      tier,
      system: last.system,
      probes: [...new Set(seen.map((o) => o.outcome.probe))].sort(),
      layer: last.outcome.layer,
      decisive: last.outcome.evidence[0] ?? null,
      firstSeen: seen[0]!,
      lastSeen: last,
      fixedIn,
    });
  }
  knownErrors.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || byTier(a.tier, b.tier));

  // Status counts per run over time.
  const statusChart = lineChart(
    Status.options.map((status) => ({
      label: status,
      color: STATUS_COLORS[status]!,
      values: runs.map((r) => r.outcomes.filter((o) => o.status === status).length),
    })),
    runs.map((r) => r.startedAt),
    { unit: '', yTitle: 'outcomes per run' },
  );

  return { statusChart, probes, ops, signatures, scaling, knownErrors };
}
