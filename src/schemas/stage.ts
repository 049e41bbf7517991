import { z } from 'zod';
import { STAGES } from './names.js';

export { STAGES };
export const Stage = z.enum(STAGES).describe('import: the stack loads; setup: weights/state; lower: StableHLO produced; compile: the backend compiles; execute: runs on the device; compare: checked against the reference');
export type Stage = z.infer<typeof Stage>;

/**
 * TT-XLA's own bring-up stage (its `._bringup_stage.txt`), named as tt-xla's test infrastructure
 * names the failures: FAILED_FE_COMPILATION, FAILED_TTMLIR_COMPILATION, FAILED_RUNTIME, INCORRECT_RESULT.
 */
export const CompilerStage = z.enum(['frontend', 'tt-mlir', 'runtime', 'incorrect-result']);
export type CompilerStage = z.infer<typeof CompilerStage>;

export const StageReport = z.object({
  reached: z.array(Stage).describe('stages entered, in order of first arrival'),
  last: Stage.nullable().describe('the stage the probe was in when it ended'),
  failedAt: Stage.nullable().describe('the stage a fail, crash or timeout happened in; null when it did not fail'),
  compiler: z
    .object({
      marker: z.string().describe("the last line tt-xla wrote to ._bringup_stage.txt, e.g. TTMLIR_COMPILATION_START"),
      stage: CompilerStage.nullable().describe('null for a marker this harness does not know'),
    })
    .nullable()
    .describe("TT-XLA's own stage, written by the PJRT plugin when ENABLE_BRINGUP_STAGE_LOGGING=1"),
});
export type StageReport = z.infer<typeof StageReport>;
