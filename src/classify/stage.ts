import type { CompilerStage, Stage, StageReport } from '../schemas/stage.js';
import { STAGES } from '../schemas/names.js';
import type { Outcome, Status } from '../schemas/outcome.js';

/** tt-xla's markers (pjrt_implementation: module_builder, flatbuffer_loaded_executable_instance). */
const COMPILER_STAGE_OF_MARKER: Record<string, CompilerStage> = {
  FE_COMPILATION_START: 'frontend',
  TTMLIR_COMPILATION_START: 'tt-mlir',
  RUNTIME_EXECUTION_START: 'runtime',
};

/** The only texts of ._bringup_stage.txt the harness stores (tt-xla's logBringupStage calls). */
export const KNOWN_COMPILER_MARKERS: ReadonlySet<string> = new Set(Object.keys(COMPILER_STAGE_OF_MARKER));

const COMPILER_STAGE_LABEL: Record<CompilerStage, string> = {
  frontend: 'frontend',
  'tt-mlir': 'TT-MLIR',
  runtime: 'runtime',
  'incorrect-result': 'incorrect result',
};

/** `TT-MLIR`, `runtime`, `incorrect result`: the compiler's own stage as people write it. */
export const compilerStageLabel = (stage: CompilerStage | null | undefined): string | null => (stage ? COMPILER_STAGE_LABEL[stage] : null);

const FAILED = new Set<Status>(['fail', 'crash', 'timeout']);

/** The position of a stage in STAGES; -1 for none, so "no stage" sorts before every stage. */
export function stageIndex(stage: Stage | null | undefined): number {
  return stage ? STAGES.indexOf(stage) : -1;
}

export interface StageFacts {
  /** Every stage line the probe wrote, in order (repeats when it ran several programs). */
  sequence: Stage[];
  /** The last line of tt-xla's ._bringup_stage.txt, if it wrote one. */
  compilerMarker: string | null;
  status: Status;
  /** When the marker file and the probe's stage file were last written (ms), where both are known. */
  markerWrittenMs?: number | null;
  lastStageWrittenMs?: number | null;
}

/**
 * True when tt-xla's marker was written before the probe entered its last stage: an earlier program
 * left it (the plugin only writes at TT-MLIR and runtime starts, and each program's probe line comes
 * first), so it says nothing of where this program failed. A comparison follows its program's
 * runtime marker, so `compare` keeps it.
 */
export function staleMarker(facts: StageFacts): boolean {
  const { sequence, compilerMarker, markerWrittenMs, lastStageWrittenMs } = facts;
  if (!compilerMarker || markerWrittenMs == null || lastStageWrittenMs == null) return false;
  const last = sequence.at(-1);
  return last !== undefined && last !== 'compare' && markerWrittenMs < lastStageWrittenMs;
}

/**
 * The stage report of an outcome. The compiler's own stage is read as tt-xla's test infrastructure
 * reads it, except that a failed comparison after the runtime ran is an incorrect result.
 */
export function stageReport(facts: StageFacts): StageReport | null {
  const { sequence, status } = facts;
  const compilerMarker = staleMarker(facts) ? null : facts.compilerMarker;
  if (!sequence.length && !compilerMarker) return null;
  const last = sequence.at(-1) ?? null;
  const failedAt = FAILED.has(status) ? last : null;
  let compiler: StageReport['compiler'] = null;
  if (compilerMarker) {
    const stage = COMPILER_STAGE_OF_MARKER[compilerMarker] ?? null;
    compiler = { marker: compilerMarker, stage: failedAt === 'compare' && stage === 'runtime' ? 'incorrect-result' : stage };
  }
  return { reached: [...new Set(sequence)], last, failedAt, compiler };
}

const VERB: Partial<Record<Status, string>> = { fail: 'failed', crash: 'crashed', timeout: 'timed out' };

/** "failed at compile (TT-MLIR)": what a compiler engineer reads first; null for outcomes that did not fail. */
export function stageLabel(outcome: Pick<Outcome, 'status' | 'stages'>): string | null {
  const stages = outcome.stages;
  const verb = VERB[outcome.status];
  if (!stages || !verb) return null;
  const compiler = compilerStageLabel(stages.compiler?.stage);
  if (stages.failedAt) return `${verb} at ${stages.failedAt}${compiler ? ` (${compiler})` : ''}`;
  return compiler ? `${verb} in ${compiler}` : null;
}

export interface StageShift {
  from: Stage;
  to: Stage;
  /** True when the new run got further than the base before failing. */
  later: boolean;
}

/** A change of the failing stage between two outcomes of one probe; null unless both failed at a known, different stage. */
export function stageShift(base: Pick<Outcome, 'stages'>, next: Pick<Outcome, 'stages'>): StageShift | null {
  const from = base.stages?.failedAt;
  const to = next.stages?.failedAt;
  if (!from || !to || from === to) return null;
  return { from, to, later: stageIndex(to) > stageIndex(from) };
}
