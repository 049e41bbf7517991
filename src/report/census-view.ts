import type { Outcome, Prediction } from '../schemas/outcome.js';
import type { CensusPlacement } from '../schemas/probe-result.js';

export interface CensusOpView {
  op: string;
  count: number;
  predicted: boolean;
}

export interface CensusModuleView {
  name: string;
  /** How many distinct modules of this name (eager ops compile once per shape). */
  count: number;
  /** ` ×N` when there are several, for the report to print after the name. */
  times: string;
  /** The first one's StableHLO dump, as the report links it; null when the probe kept none. */
  href: string | null;
  predicted: boolean;
}

export interface CensusPhaseView {
  /** setup, workload or reference; `program` for records made before the census had phases. */
  phase: string;
  where: string;
  moduleCount: number;
  /** "1 module", "31 modules"; empty for records made before phases. */
  moduleText: string;
  modules: CensusModuleView[];
  ops: CensusOpView[];
}

const WHERE: Record<CensusPlacement, string> = {
  target: 'run on the target devices',
  default: "run on JAX's default device, as a user's script runs it",
  cpu: "run on the host CPU, by the probe's choice",
};

/** One line per prediction: the op, where the probe's census found it, and what this run made of it. */
export function predictionText(p: Prediction): string {
  const where = p.phase
    ? ` in ${p.phase}${p.modules.length ? ` (${p.modules.join(', ')})` : ''}${p.placement ? `, ${WHERE[p.placement]}` : ''}`
    : '';
  const stale = p.basis === 'op-coverage' ? 'the op-coverage result may be stale' : 'the catalog entry may be stale';
  const check = p.confirmed === true ? '; confirmed by this run' : p.confirmed === false ? `; but this run got past it: ${stale}` : '';
  const basis = p.basis === 'op-coverage' && p.evidence ? `; from ${p.evidence}` : '; from the catalog';
  return `${p.op} (${p.count}x, ${p.ruleId})${where}${basis}${check}`;
}

/** The short form for a matrix cell: each op once, with the phases that hold it. */
export function predictionSummary(predicted: Prediction[]): string {
  const phases = new Map<string, string[]>();
  for (const p of predicted) {
    const list = phases.get(p.op) ?? [];
    if (p.phase && !list.includes(p.phase)) list.push(p.phase);
    phases.set(p.op, list);
  }
  return [...phases].map(([op, list]) => (list.length ? `${op} (${list.join(', ')})` : op)).join(', ');
}

/** The census of one outcome by phase, ops and modules sorted, predicted ones marked. */
export function censusPhasesView(o: Outcome, link: (fileInOut: string) => string): CensusPhaseView[] {
  const result = o.result;
  if (!result) return [];
  const predictedIn = (phase: string | null, op: string) => o.predicted.some((p) => p.op === op && (p.phase === null || p.phase === phase));
  if (!result.censusPhases.length) {
    const ops = Object.entries(result.census).sort(([a], [b]) => a.localeCompare(b)).map(([op, count]) => ({ op, count, predicted: predictedIn(null, op) }));
    return ops.length ? [{ phase: 'program', where: 'recorded before the census had phases', moduleCount: 0, moduleText: '', modules: [], ops }] : [];
  }
  const order = ['setup', 'workload', 'reference'];
  const phases = [...result.censusPhases].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase));
  return phases.map((ph) => {
    const ops = new Map<string, number>();
    const modules = new Map<string, CensusModuleView>();
    for (const m of ph.modules) {
      for (const [op, count] of Object.entries(m.ops)) ops.set(op, (ops.get(op) ?? 0) + count);
      const predicted = ph.phase !== 'reference' && Object.keys(m.ops).some((op) => predictedIn(ph.phase, op));
      const seen = modules.get(m.name);
      if (seen) {
        seen.count++;
        seen.times = ` ×${seen.count}`;
        seen.predicted ||= predicted;
      } else modules.set(m.name, { name: m.name, count: 1, times: '', href: m.file ? link(m.file) : null, predicted });
    }
    return {
      phase: ph.phase,
      where: WHERE[ph.placement],
      moduleCount: ph.modules.length,
      moduleText: `${ph.modules.length} module${ph.modules.length === 1 ? '' : 's'}`,
      // Modules holding a predicted op first: they are what a compiler team needs to look at.
      modules: [...modules.values()].sort((a, b) => Number(b.predicted) - Number(a.predicted) || a.name.localeCompare(b.name)),
      ops: [...ops].sort(([a], [b]) => a.localeCompare(b)).map(([op, count]) => ({ op, count, predicted: ph.phase !== 'reference' && predictedIn(ph.phase, op) })),
    };
  });
}
