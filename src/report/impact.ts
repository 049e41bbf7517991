import type { Outcome, Status } from '../schemas/outcome.js';

/** What rankImpact reads of an outcome: a run record's outcome, or the site's summary of one. */
export type ImpactOutcome = Pick<Outcome, 'probe' | 'stack' | 'workload' | 'status' | 'category' | 'ruleId' | 'signature' | 'reason'>;

export interface ImpactInput {
  tier: string;
  outcome: ImpactOutcome;
}

export interface ImpactRow {
  /** `rule:<catalog id>`, `signature:<hash>` or `category:<category>` for a failure neither names. */
  key: string;
  kind: 'catalog' | 'signature' | 'uncatalogued';
  ruleId: string | null;
  signature: string | null;
  category: string | null;
  /** The catalog entry's title where one is given, else a reason the failure recorded. */
  title: string;
  /** How many workload x system x stack combinations this failure blocks. */
  blocks: number;
  probes: number;
  blocked: Array<{ tier: string; stack: string; workload: string; probes: string[] }>;
}

/** What blocks a workload: skips (no hardware of that size, packages not installed) do not. */
const BLOCKING: Status[] = ['fail', 'crash', 'timeout', 'cpu-fallback'];

/**
 * Setup problems of the machine (a stack not installed, a plugin that does not load, a variable not
 * set) are fixed by whoever runs it, not by a bug fix in a stack: they are reported (broken
 * environment, the outcome itself) but never ranked as what "blocks most".
 */
const SETUP: ReadonlySet<string> = new Set(['environment', 'missing-dependency']);

function reasonKey(o: ImpactOutcome): Pick<ImpactRow, 'key' | 'kind' | 'ruleId' | 'signature' | 'category'> {
  if (o.ruleId) return { key: `rule:${o.ruleId}`, kind: 'catalog', ruleId: o.ruleId, signature: null, category: o.category };
  if (o.signature) return { key: `signature:${o.signature}`, kind: 'signature', ruleId: null, signature: o.signature, category: o.category };
  const category = o.category ?? o.status;
  return { key: `category:${category}`, kind: 'uncatalogued', ruleId: null, signature: null, category };
}

/**
 * Failure reasons (catalog entry, else unknown-failure signature, else bare category) ranked by how
 * many workload x system x stack combinations they block, most first: the most valuable bug to fix
 * is at the top. Ties go to the reason failing more probes, then by key, so the order is stable.
 * Pure; `titles` maps catalog ids to their titles.
 */
export function rankImpact(items: Iterable<ImpactInput>, titles: ReadonlyMap<string, string> = new Map()): ImpactRow[] {
  const rows = new Map<string, ImpactRow & { cells: Map<string, ImpactRow['blocked'][number]> }>();
  for (const { tier, outcome: o } of items) {
    if (!BLOCKING.includes(o.status) || (o.category && SETUP.has(o.category))) continue;
    const id = reasonKey(o);
    let row = rows.get(id.key);
    if (!row) {
      const title = (id.ruleId && titles.get(id.ruleId)) || o.reason;
      row = { ...id, title, blocks: 0, probes: 0, blocked: [], cells: new Map() };
      rows.set(id.key, row);
    }
    const cellKey = `${tier}\u0000${o.stack}\u0000${o.workload}`;
    let cell = row.cells.get(cellKey);
    if (!cell) {
      cell = { tier, stack: o.stack, workload: o.workload, probes: [] };
      row.cells.set(cellKey, cell);
    }
    if (!cell.probes.includes(o.probe)) {
      cell.probes.push(o.probe);
      row.probes++;
    }
  }
  return [...rows.values()]
    .map(({ cells, ...row }) => {
      const blocked = [...cells.values()]
        .map((c) => ({ ...c, probes: [...c.probes].sort() }))
        .sort((a, b) => a.tier.localeCompare(b.tier) || a.stack.localeCompare(b.stack) || a.workload.localeCompare(b.workload));
      return { ...row, blocks: blocked.length, blocked };
    })
    .sort((a, b) => b.blocks - a.blocks || b.probes - a.probes || a.key.localeCompare(b.key));
}
