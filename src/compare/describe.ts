import type { Outcome } from '../schemas/outcome.js';
import { compilerStageLabel, stageIndex } from '../classify/stage.js';
import type { Side } from './transition.js';

/** ` at compile [TT-MLIR]`: where a failing outcome stopped, when its probe wrote stages. */
const atStage = (failedAt: string | null | undefined, compiler?: string | null) =>
  failedAt ? ` at ${failedAt}${compiler ? ` [${compiler}]` : ''}` : '';

/** `fail at compile [TT-MLIR] (unsupported-op: stablehlo.reduce_window)`, `pass`, `skip (missing-dependency: ttnn)`. */
export function describe(o: Outcome | undefined, planned = true): string {
  if (!o) return planned ? 'missing (planned, not run)' : 'missing (not in the run)';
  if (o.status === 'pass') return o.attempts.length ? `pass (flaky: passed on attempt ${o.attempt})` : 'pass';
  if (o.status === 'compiled') return o.attempts.length ? `compiled (flaky: compiled on attempt ${o.attempt})` : 'compiled';
  const detail = o.details.op ?? o.details.missing ?? o.ruleId ?? o.signature ?? null;
  const inner = [o.category, detail].filter(Boolean).join(': ');
  const status = `${o.status}${atStage(o.stages?.failedAt, compilerStageLabel(o.stages?.compiler?.stage))}`;
  return inner ? `${status} (${inner})` : status;
}

/** The same words for a side known only by its state (release mode, baselines). */
export function describeSide(s: Side): string {
  if (s.state === 'missing') return s.planned ? 'missing (planned, not run)' : 'missing (not in the run)';
  const inner = [s.category, s.ruleId ?? s.signature].filter(Boolean).join(': ');
  const state = `${s.state}${atStage(s.failedAt)}`;
  return inner ? `${state} (${inner})` : state;
}

/** `fails later: at compile -> at execute`: a stage-change, in the words a compiler engineer reads first. */
export function describeStageShift(from: Side, to: Side): string | undefined {
  if (!from.failedAt || !to.failedAt) return undefined;
  const direction = stageIndex(to.failedAt) > stageIndex(from.failedAt) ? 'later' : 'earlier';
  return `fails ${direction}: at ${from.failedAt} -> at ${to.failedAt}`;
}
