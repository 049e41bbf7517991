import { OP_ROWS } from '../report/op-table.js';
import type { SiteOpFamily, SiteRun } from './site-run.js';
import { byTier, tierTitle } from './naming.js';

type StackId = 'tt-xla' | 'tt-metal';

export interface OpCoverageColumn {
  system: string;
  tier: string;
  stack: StackId;
  /** The TT-XLA plugin or tt-metal version the families were compiled with. */
  compiler: string;
  runId: string;
  date: string;
  reportHref: string;
  ok: number;
  total: number;
}

export interface OpCoveragePage {
  columns: OpCoverageColumn[];
  rows: Array<{ title: string; cells: Array<{ families: LinkedFamily[] }> }>;
}

/** A family with its log's link from the site's root. */
export type LinkedFamily = SiteOpFamily & { href: string };

const STACK_TITLE: Record<StackId, string> = { 'tt-xla': 'TT-XLA', 'tt-metal': 'tt-metal' };
const GOOD = new Set(['compiled', 'pass']);

/**
 * The op table per system, stack and compiler version: for each, the latest run's op-coverage
 * families. A column never mixes compilers, so two plugin releases on one system stand side by side.
 */
export function buildOpCoverage(runs: SiteRun[], runHref: (run: SiteRun) => string): OpCoveragePage | null {
  const latest = new Map<string, { column: OpCoverageColumn; families: Map<string, LinkedFamily> }>();
  for (const run of runs) {
    for (const cov of run.opCoverage) {
      const compilerVersion = cov.stack === 'tt-xla' ? run.fingerprint.plugin : run.fingerprint.ttMetal;
      const compiler = `${STACK_TITLE[cov.stack]} ${compilerVersion ?? 'version unknown'}`;
      const key = `${run.fingerprint.tier}\u0000${cov.stack}\u0000${compiler}`;
      const seen = latest.get(key);
      if (seen && seen.column.date >= run.startedAt) continue;
      latest.set(key, {
        column: {
          system: tierTitle(run.fingerprint.tier),
          tier: run.fingerprint.tier,
          stack: cov.stack,
          compiler,
          runId: run.runId,
          date: run.startedAt,
          reportHref: `${runHref(run)}/report/index.html`,
          ok: cov.families.filter((f) => GOOD.has(f.status)).length,
          total: cov.families.length,
        },
        families: new Map(cov.families.map((f) => [f.family, { ...f, href: `${runHref(run)}/${f.log}` }])),
      });
    }
  }
  if (!latest.size) return null;
  const columns = [...latest.values()].sort(
    (a, b) => byTier(a.column.tier, b.column.tier) || a.column.stack.localeCompare(b.column.stack) || a.column.compiler.localeCompare(b.column.compiler),
  );
  const rowFamilies = OP_ROWS.map((r) => ({ title: r.title, families: r.families }));
  const named = new Set(OP_ROWS.flatMap((r) => [...r.families['tt-xla'], ...r.families['tt-metal']]));
  for (const { column, families } of columns) {
    for (const family of families.keys()) {
      if (named.has(family)) continue;
      named.add(family);
      rowFamilies.push({ title: family, families: { 'tt-xla': column.stack === 'tt-xla' ? [family] : [], 'tt-metal': column.stack === 'tt-metal' ? [family] : [] } });
    }
  }
  const rows = rowFamilies
    .map((r) => ({
      title: r.title,
      cells: columns.map(({ column, families }) => ({ families: r.families[column.stack].flatMap((f) => (families.has(f) ? [families.get(f)!] : [])) })),
    }))
    .filter((r) => r.cells.some((c) => c.families.length));
  return { columns: columns.map((c) => c.column), rows };
}
