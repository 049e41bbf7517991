import { isSuccess, type Prediction, type PredictionBasis, type Verdict } from '../schemas/outcome.js';
import type { ProbeResult } from '../schemas/probe-result.js';
import { type LoadedCatalog, unsupportedOps } from './catalog.js';
import type { OpEvidence } from './op-evidence.js';

interface Known {
  ruleId: string;
  basis: PredictionBasis;
  evidence: string | null;
}

/**
 * The ops predicted to fail: op-coverage's results for the same compiler decide every op they cover
 * (an op it compiled is not predicted, whatever the catalog says); the catalog decides the rest.
 */
function knownFailures(catalog: LoadedCatalog, evidence: OpEvidence | null): Map<string, Known> {
  const known = new Map<string, Known>();
  for (const [op, ruleId] of unsupportedOps(catalog)) {
    if (!evidence?.working.has(op)) known.set(op, { ruleId, basis: 'catalog', evidence: null });
  }
  for (const [op, v] of evidence?.failing ?? []) {
    known.set(op, {
      ruleId: v.ruleId ?? 'op-coverage',
      basis: 'op-coverage',
      evidence: `op-coverage with ${evidence!.compiler} on ${evidence!.system}: ${v.family} ${v.status}${v.category ? ` [${v.category}]` : ''}`,
    });
  }
  return known;
}

/**
 * Census ops predicted to fail on TT-XLA, one prediction per census phase that holds the op (the CPU
 * reference phase never runs on the target, so it predicts nothing). On a TT run each prediction is
 * checked against what happened: the failure named the op, or the probe passed and the prediction may
 * be stale; a phase the probe ran on the host CPU was not tried on TT. Results from before the census
 * had phases give one prediction per op, with no phase.
 */
export function predictionsFor(result: ProbeResult, catalog: LoadedCatalog, target: string, verdict: Verdict, evidence: OpEvidence | null = null): Prediction[] {
  const known = knownFailures(catalog, evidence);
  const check = (op: string, onHost: boolean): boolean | null => {
    if (target !== 'tt' || onHost) return null;
    if (isSuccess(verdict.status)) return false;
    return verdict.category === 'unsupported-op' && verdict.details.op === op ? true : null;
  };
  const prediction = (op: string, count: number, rest: Pick<Prediction, 'phase' | 'placement' | 'modules' | 'confirmed'>): Prediction => {
    const k = known.get(op)!;
    return { op, ruleId: k.ruleId, count, basis: k.basis, evidence: k.evidence, ...rest };
  };
  if (!result.censusPhases.length) {
    return Object.entries(result.census)
      .filter(([op]) => known.has(op))
      .map(([op, count]) => prediction(op, count, { phase: null, placement: null, modules: [], confirmed: check(op, false) }));
  }
  const predictions: Prediction[] = [];
  for (const phase of result.censusPhases) {
    if (phase.phase === 'reference') continue;
    const byOp = new Map<string, { count: number; modules: Set<string> }>();
    for (const module of phase.modules) {
      for (const [op, count] of Object.entries(module.ops)) {
        if (!known.has(op)) continue;
        const seen = byOp.get(op) ?? { count: 0, modules: new Set<string>() };
        seen.count += count;
        seen.modules.add(module.name);
        byOp.set(op, seen);
      }
    }
    for (const [op, { count, modules }] of [...byOp].sort(([a], [b]) => a.localeCompare(b))) {
      predictions.push(prediction(op, count, { phase: phase.phase, placement: phase.placement, modules: [...modules], confirmed: check(op, phase.placement === 'cpu') }));
    }
  }
  return predictions;
}

/** Every outcome's predictions again, once the run's own op-coverage results are known. */
export function predictWithEvidence<O extends { result: ProbeResult | null; target: string; predicted: Prediction[] } & Verdict>(
  outcomes: O[],
  catalog: LoadedCatalog,
  evidence: OpEvidence | null,
): O[] {
  if (!evidence) return outcomes;
  return outcomes.map((o) => (o.result ? { ...o, predicted: predictionsFor(o.result, catalog, o.target, o, evidence) } : o));
}
