import path from 'node:path';
import type { CatalogEntry } from '../schemas/catalog.js';
import type { Outcome } from '../schemas/outcome.js';
import { Status } from '../schemas/outcome.js';
import type { RunRecord } from '../schemas/run-record.js';
import { STACKS, STACK_TITLES } from '../report/view.js';
import { lineChart, STATUS_COLORS, type ChartView } from './charts.js';
import type { StoredRun } from './collect.js';
import { opCensusRows, type OpCensusRow } from './op-census.js';

export const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
export const versionsOf = (r: RunRecord) =>
  `fw ${r.fingerprint.firmwareBundle ?? 'n/a'} · plugin ${r.fingerprint.plugin ?? 'n/a'} · tt-metal ${r.fingerprint.ttMetal ?? 'n/a'}`;

export interface Occurrence {
  runId: string;
  date: string;
  tier: string;
  versions: string;
  reportHref: string;
  outcome: Outcome;
}

export interface ProbePage {
  id: string;
  title: string;
  stack: string;
  workload: string;
  perTier: Array<{ tier: string; latest: Occurrence; lastPassing: Occurrence | null; firstFailing: Occurrence | null }>;
  history: Occurrence[];
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

export interface SiteModel {
  generatedAt: string;
  runCount: number;
  skipped: string[];
  latest: Array<{ tier: string; rows: Array<{ workload: string; cells: Array<{ stack: string; title: string; outcomes: Occurrence[] }> }> }>;
  stacks: Array<{ id: string; title: string }>;
  statusChart: ChartView;
  probes: ProbePage[];
  ops: OpPage[];
  signatures: SignaturePage[];
  scaling: ScalingRow[];
  knownErrors: KnownErrorRow[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const TIER_ORDER = ['n150', 'n300', 't3k', 'galaxy', 'p100', 'p150', 'p300', 'unknown', 'none'];
const byTier = (a: string, b: string) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b);

function throughputOf(o: Outcome): number | null {
  const metrics = o.result?.metrics ?? {};
  const key = Object.keys(metrics).find((k) => /_per_s$|throughput|gflops|tflops/.test(k));
  return key ? metrics[key]! : null;
}

/** Everything the site shows, computed from run records alone. Pure. */
export function buildSiteModel(runs: StoredRun[], catalog: CatalogEntry[], outDir: string, skipped: string[] = []): SiteModel {
  const entries = new Map(catalog.map((e) => [e.id, e]));
  const unsupported = new Map<string, CatalogEntry>();
  for (const e of catalog) for (const op of e.unsupportedOps) if (!unsupported.has(op)) unsupported.set(op, e);

  const occurrences: Occurrence[] = [];
  for (const { dir, record } of runs) {
    const reportHref = path.relative(outDir, path.join(dir, 'report', 'index.html')).split(path.sep).join('/');
    const versions = versionsOf(record);
    for (const outcome of record.outcomes) {
      occurrences.push({ runId: record.runId, date: record.startedAt, tier: record.fingerprint.tier, versions, reportHref, outcome });
    }
  }

  // Latest status per tier x workload x stack.
  const latestByKey = new Map<string, Occurrence>();
  for (const occ of occurrences) latestByKey.set(`${occ.tier}\u0000${occ.outcome.probe}`, occ);
  const tiers = [...new Set(occurrences.map((o) => o.tier))].sort(byTier);
  const workloads = [...new Set(occurrences.map((o) => o.outcome.workload))].sort();
  const latest = tiers.map((tier) => {
    const ofTier = [...latestByKey.values()].filter((o) => o.tier === tier);
    return {
      tier,
      rows: workloads
        .filter((w) => ofTier.some((o) => o.outcome.workload === w))
        .map((workload) => ({
          workload,
          cells: STACKS.map((stack) => ({
            stack,
            title: STACK_TITLES[stack],
            outcomes: ofTier.filter((o) => o.outcome.workload === workload && o.outcome.stack === stack),
          })),
        })),
    };
  });

  // Per probe: history, last passing and first failing (of the current failing streak) per tier.
  const byProbe = new Map<string, Occurrence[]>();
  for (const occ of occurrences) push(byProbe, occ.outcome.probe, occ);
  const probes: ProbePage[] = [...byProbe].sort(([a], [b]) => a.localeCompare(b)).map(([id, history]) => {
    const perTier = [...new Set(history.map((h) => h.tier))].sort(byTier).map((tier) => {
      const ofTier = history.filter((h) => h.tier === tier);
      const lastPassIndex = ofTier.map((h) => h.outcome.status).lastIndexOf('pass');
      const latestOcc = ofTier[ofTier.length - 1]!;
      return {
        tier,
        latest: latestOcc,
        lastPassing: lastPassIndex >= 0 ? ofTier[lastPassIndex]! : null,
        firstFailing: latestOcc.outcome.status === 'pass' ? null : ofTier[lastPassIndex + 1] ?? null,
      };
    });
    const dates = history.map((h) => h.date.slice(0, 10));
    const seriesTiers = [...new Set(history.map((h) => h.tier))].sort(byTier);
    const palette = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#57606a'];
    const durationChart = lineChart(
      seriesTiers.map((tier, i) => ({
        label: tier,
        color: palette[i % palette.length]!,
        values: history.map((h) => (h.tier === tier ? h.outcome.durationS : null)),
      })),
      dates,
    );
    const first = history[0]!.outcome;
    return { id, title: first.title, stack: first.stack, workload: first.workload, perTier, history: [...history].reverse(), durationChart };
  });

  // Per op: which probes' census phases hold it, and where it was the op of a failure.
  const opProbes = opCensusRows(occurrences, new Set(unsupported.keys()));
  const opFailures = new Map<string, Occurrence[]>();
  for (const occ of occurrences) {
    const op = occ.outcome.details.op;
    if (op && occ.outcome.status !== 'pass') push(opFailures, op, occ);
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
    const passing = page.perTier.filter((t) => t.lastPassing).map((t) => ({ tier: t.tier, o: t.lastPassing!.outcome }));
    if (passing.length < 2) continue;
    const execOf = (o: Outcome) => o.result?.timings.execute_s ?? o.durationS;
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
      values: runs.map((r) => r.record.outcomes.filter((o) => o.status === status).length),
    })),
    runs.map((r) => r.record.startedAt.slice(0, 10)),
  );

  return {
    generatedAt: new Date().toISOString(),
    runCount: runs.length,
    skipped,
    latest,
    stacks: STACKS.map((id) => ({ id, title: STACK_TITLES[id] })),
    statusChart,
    probes,
    ops,
    signatures,
    scaling,
    knownErrors,
  };
}
