import path from 'node:path';
import { systemTitle, tierTitle } from '../device/system-title.js';
import type { Outcome } from '../schemas/outcome.js';
import type { RunRecord } from '../schemas/run-record.js';
import type { CatalogEntry } from '../schemas/catalog.js';
import { stageLabel } from '../classify/stage.js';
import { rankImpact, type ImpactRow } from './impact.js';
import { opTableOf, type OpCell } from './op-table.js';
import { statusLabel } from './status-label.js';
import { censusPhasesView, predictionSummary, predictionText, type CensusPhaseView } from './census-view.js';

export const STACKS = ['tt-xla', 'tt-metal'] as const;
export const STACK_TITLES: Record<(typeof STACKS)[number], string> = { 'tt-xla': 'TT-XLA', 'tt-metal': 'tt-metal' };

export interface ArtifactView {
  href: string;
  kind: string;
  name: string;
  description: string | null;
}

export interface OutcomeView {
  outcome: Outcome;
  /** False for outcomes decided before a process started: there are no logs to link. */
  started: boolean;
  exit: string;
  anchor: string;
  headline: string;
  /** "failed at compile (TT-MLIR)"; null when it did not fail or wrote no stage. */
  stage: string | null;
  /** The stage and the stages reached in order, for the detail section. */
  stageLine: string | null;
  time: string;
  stdoutHref: string;
  stderrHref: string;
  entry: CatalogEntry | null;
  /** The op census by phase (setup, workload, reference). */
  census: CensusPhaseView[];
  /** Each prediction as one line, and all of them as a matrix cell's short form. */
  predictions: string[];
  predictedSummary: string;
  timings: Array<{ name: string; value: string }>;
  metrics: Array<{ name: string; value: string }>;
  artifacts: ArtifactView[];
}

export interface MatrixRow {
  workload: string;
  cells: Array<{ stack: string; stackTitle: string; outcomes: OutcomeView[] }>;
}

export interface OpTableView {
  headers: Array<{ title: string; column: { probe: string; ok: number; total: number } | null }>;
  rows: Array<{ title: string; cells: Array<{ stack: string; ops: Array<OpCell & { href: string }> }> }>;
}

export interface ReportView {
  record: RunRecord;
  title: string;
  header: Array<{ name: string; value: string }>;
  stacks: Array<{ id: string; title: string }>;
  rows: MatrixRow[];
  outcomes: OutcomeView[];
  counts: Array<{ status: string; count: number }>;
  /** Failure reasons ranked by how many workload x stack combinations they block in this run. */
  impact: ImpactRow[];
  /** Op-coverage families side by side per stack; null when no op-coverage probe ran. */
  opTable: OpTableView | null;
}

const fmtSeconds = (s: number) => (s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);
const fmtNumber = (n: number) => (Number.isInteger(n) ? String(n) : n.toPrecision(4));
/** Paths inside the run directory as the report (in `reportDir`) links them, always with forward slashes. */
const linkFrom = (reportDir: string, runDir: string, rel: string) =>
  path.relative(reportDir, path.join(runDir, rel)).split(path.sep).join('/');

function headline(o: Outcome): string {
  const detail = o.details.op ?? o.details.missing ?? null;
  if (o.status === 'pass') return 'pass';
  if (o.status === 'compiled') return statusLabel(o.status);
  const parts = [o.status, o.category && o.category !== o.status ? o.category : null, detail].filter(Boolean);
  return parts.join(': ');
}

function stageLine(o: Outcome): string | null {
  const reached = o.stages?.reached.length ? `reached ${o.stages.reached.join(' → ')}` : null;
  return [stageLabel(o), reached].filter(Boolean).join('; ') || null;
}

export function outcomeView(o: Outcome, runDir: string, reportDir: string, catalog: Map<string, CatalogEntry>): OutcomeView {
  const outDir = path.join(path.dirname(o.logs.stdout), 'out');
  return {
    outcome: o,
    started: o.started,
    exit: o.signal ?? (o.exitCode === null ? 'n/a' : String(o.exitCode)),
    anchor: `probe-${o.probe}`,
    headline: headline(o),
    stage: stageLabel(o),
    stageLine: stageLine(o),
    time: fmtSeconds(o.durationS),
    stdoutHref: linkFrom(reportDir, runDir, o.logs.stdout),
    stderrHref: linkFrom(reportDir, runDir, o.logs.stderr),
    entry: o.ruleId ? catalog.get(o.ruleId) ?? null : null,
    census: censusPhasesView(o, (file) => linkFrom(reportDir, runDir, path.join(outDir, file))),
    predictions: o.predicted.map(predictionText),
    predictedSummary: predictionSummary(o.predicted),
    timings: Object.entries(o.result?.timings ?? {}).map(([name, v]) => ({ name, value: `${fmtNumber(v)} s` })),
    metrics: Object.entries(o.result?.metrics ?? {}).map(([name, v]) => ({ name, value: fmtNumber(v) })),
    artifacts: (o.result?.artifacts ?? []).map((a) => ({
      href: linkFrom(reportDir, runDir, path.join(outDir, a.path)),
      kind: a.kind,
      name: a.path,
      description: a.description ?? null,
    })),
  };
}

export function buildView(record: RunRecord, runDir: string, reportDir: string, catalogEntries: CatalogEntry[] = []): ReportView {
  const catalog = new Map(catalogEntries.map((e) => [e.id, e]));
  const outcomes = record.outcomes.map((o) => outcomeView(o, runDir, reportDir, catalog));
  const workloads = [...new Set(record.outcomes.map((o) => o.workload))].sort();
  const rows = workloads.map((workload) => ({
    workload,
    cells: STACKS.map((stack) => ({
      stack,
      stackTitle: STACK_TITLES[stack],
      outcomes: outcomes.filter((v) => v.outcome.workload === workload && v.outcome.stack === stack),
    })),
  }));
  const fp = record.fingerprint;
  const d = record.device;
  const header = [
    { name: 'Device', value: d.boards.length ? [...new Set(d.boards.map((b) => b.boardTypeRaw))].join(', ') : 'no Tenstorrent device' },
    { name: 'Tier', value: `${tierTitle(d.tier)} (${d.tierReason})` },
    ...(d.mock ? [{ name: 'Mock system', value: `${tierTitle(d.tier)}: ${d.mock.source} descriptor ${d.mock.descriptor} (sha256 ${d.mock.sha256.slice(0, 12)}); compiled by the real compiler, nothing computed` }] : []),
    { name: 'Target', value: `${record.options.target} (${d.targetReason})` },
    { name: 'Firmware bundle', value: fp.firmwareBundle ?? 'n/a' },
    { name: 'KMD', value: fp.kmd ?? 'n/a' },
    { name: 'JAX / jaxlib', value: `${fp.jax ?? 'n/a'} / ${fp.jaxlib ?? 'n/a'}` },
    { name: 'TT PJRT plugin', value: fp.plugin ?? 'not installed' },
    { name: 'tt-metal', value: fp.ttMetal ?? 'not found' },
    { name: 'Host', value: fp.host },
    { name: 'Started', value: record.startedAt },
    { name: 'Duration', value: record.durationS === null ? 'unfinished' : fmtSeconds(record.durationS) },
    { name: 'State', value: record.state },
    { name: 'Size / devices', value: `${record.options.size} / ${record.options.devices}` },
    { name: 'Catalog', value: record.catalogVersion },
  ];
  const counts = new Map<string, number>();
  for (const o of record.outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return {
    record,
    title: `ttprobe: TT-XLA vs tt-metal on ${systemTitle(d.tier, record.options.target)} (${record.runId})`,
    header,
    stacks: STACKS.map((id) => ({ id, title: STACK_TITLES[id] })),
    rows,
    outcomes,
    counts: [...counts].map(([status, count]) => ({ status, count })),
    opTable: opTableView(record, runDir, reportDir),
    impact: rankImpact(record.outcomes.map((outcome) => ({ tier: fp.tier, outcome })), new Map(catalogEntries.map((e) => [e.id, e.title]))),
  };
}

function opTableView(record: RunRecord, runDir: string, reportDir: string): OpTableView | null {
  const table = opTableOf(record.outcomes);
  if (!table) return null;
  return {
    headers: STACKS.map((s) => ({ title: STACK_TITLES[s], column: table.columns[s] })),
    rows: table.rows.map((r) => ({
      title: r.title,
      cells: STACKS.map((stack) => ({ stack, ops: r.cells[stack].map((c) => ({ ...c, href: linkFrom(reportDir, runDir, c.log) })) })),
    })),
  };
}
