import { isSuccess, type Prediction, type Verdict } from '../schemas/outcome.js';
import type { ProbeResult } from '../schemas/probe-result.js';
import { type LoadedCatalog, unsupportedOps } from './catalog.js';

/**
 * Census ops the catalog says TT-XLA cannot legalize, one prediction per census phase that holds
 * the op (the CPU reference phase never runs on the target, so it predicts nothing). On a TT run
 * each prediction is checked against what happened: the failure named the op, or the probe passed
 * and the catalog entry may be stale; a phase the probe ran on the host CPU was not tried on TT.
 * Results from before the census had phases give one prediction per op, with no phase.
 */
export function predictionsFor(result: ProbeResult, catalog: LoadedCatalog, target: string, verdict: Verdict): Prediction[] {
  const known = unsupportedOps(catalog);
  const check = (op: string, onHost: boolean): boolean | null => {
    if (target !== 'tt' || onHost) return null;
    if (isSuccess(verdict.status)) return false;
    return verdict.category === 'unsupported-op' && verdict.details.op === op ? true : null;
  };
  if (!result.censusPhases.length) {
    return Object.entries(result.census)
      .filter(([op]) => known.has(op))
      .map(([op, count]) => ({ op, ruleId: known.get(op)!, count, phase: null, placement: null, modules: [], confirmed: check(op, false) }));
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
      predictions.push({
        op,
        ruleId: known.get(op)!,
        count,
        phase: phase.phase,
        placement: phase.placement,
        modules: [...modules],
        confirmed: check(op, phase.placement === 'cpu'),
      });
    }
  }
  return predictions;
}
