import type { Occurrence } from './occurrences.js';

/** One row of an op page: a probe's census phase that holds the op. */
export interface OpCensusRow {
  probe: string;
  /** setup, workload or reference; `program` for records made before the census had phases. */
  phase: string;
  where: string;
  /** The modules holding the op, e.g. jit_cumprod: what a compiler team looks for in the dumps. */
  modules: string[];
  count: number;
  /** Whether the catalog predicts a failure from it (never for the CPU reference). */
  predicted: boolean;
  lastSeen: Occurrence;
}

const WHERE: Record<string, string> = { target: 'target devices', default: 'default device (as a user runs it)', cpu: 'host CPU' };

/**
 * Per op, every (probe, phase) whose census holds it, over all runs: the highest count seen, the
 * modules seen, and the latest run that had it. Phases keep setup apart from the workload, so an
 * op a probe only needs to build its inputs is not mistaken for one its computation uses.
 */
export function opCensusRows(occurrences: Occurrence[], unsupported: Set<string>): Map<string, OpCensusRow[]> {
  const rows = new Map<string, Map<string, OpCensusRow>>();
  const add = (op: string, occ: Occurrence, phase: string, placement: string | null, modules: string[], count: number) => {
    const byKey = rows.get(op) ?? new Map<string, OpCensusRow>();
    const key = `${occ.outcome.probe}\u0000${phase}`;
    const row = byKey.get(key);
    const where = placement ? WHERE[placement] ?? placement : 'n/a';
    const predicted = phase !== 'reference' && unsupported.has(op);
    if (!row) byKey.set(key, { probe: occ.outcome.probe, phase, where, modules: [...new Set(modules)].sort(), count, predicted, lastSeen: occ });
    else {
      row.count = Math.max(row.count, count);
      row.modules = [...new Set([...row.modules, ...modules])].sort();
      if (occ.date >= row.lastSeen.date) Object.assign(row, { where, lastSeen: occ });
    }
    rows.set(op, byKey);
  };
  for (const occ of occurrences) {
    const o = occ.outcome;
    if (!o.censusPhases.length) {
      for (const [op, count] of Object.entries(o.census)) add(op, occ, 'program', null, [], count);
      continue;
    }
    for (const ph of o.censusPhases) for (const x of ph.ops) add(x.op, occ, ph.phase, ph.placement, x.modules, x.count);
  }
  const order = ['setup', 'workload', 'program', 'reference'];
  return new Map(
    [...rows].map(([op, byKey]) => [
      op,
      [...byKey.values()].sort((a, b) => a.probe.localeCompare(b.probe) || order.indexOf(a.phase) - order.indexOf(b.phase)),
    ]),
  );
}
