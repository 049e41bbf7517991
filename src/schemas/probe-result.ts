import { z } from 'zod';
import { Target } from './manifest.js';
import { Stage } from './stage.js';

/** The highest result-protocol version this harness reads. Probes write `protocol: 1`. */
export const PROTOCOL_VERSION = 1;

export const Artifact = z
  .object({
    path: z.string().min(1),
    kind: z.enum(['image', 'video', 'text', 'json', 'other']).default('other'),
    description: z.string().optional(),
  })
  .strict();
export type Artifact = z.infer<typeof Artifact>;

const OpCounts = z.record(z.string(), z.number().int().nonnegative());

/** The phases of a probe's census (probes/PROTOCOL.md): the reference never runs on the target. */
export const CensusPhaseName = z.enum(['setup', 'workload', 'reference']);
export type CensusPhaseName = z.infer<typeof CensusPhaseName>;

/** Where a phase ran: the asked-for target, JAX's default device (as a user's script), or the host CPU on purpose. */
export const CensusPlacement = z.enum(['target', 'default', 'cpu']);
export type CensusPlacement = z.infer<typeof CensusPlacement>;

export const CensusModule = z
  .object({
    name: z.string().min(1).describe('the module name JAX gave it, e.g. jit_cumprod'),
    file: z.string().nullable().default(null).describe("its StableHLO dump, relative to the probe's output folder"),
    ops: OpCounts,
  })
  .strict();
export type CensusModule = z.infer<typeof CensusModule>;

export const CensusPhase = z
  .object({ phase: CensusPhaseName, placement: CensusPlacement, modules: z.array(CensusModule) })
  .strict();
export type CensusPhase = z.infer<typeof CensusPhase>;

/** One op of an op-coverage probe, run in its own process; `log` holds that op's own stdout+stderr. */
export const OpResult = z
  .object({
    family: z.enum(['matmul', 'linear', 'conv2d', 'max_pool2d', 'avg_pool2d', 'softmax', 'layer_norm', 'rms_norm', 'gelu',
      'embedding', 'concat', 'reshape', 'permute', 'slice', 'typecast']),
    op: z.string().min(1).describe('what was tried, e.g. ttnn.matmul'),
    status: z.enum(['compiled', 'pass', 'fail', 'crash', 'timeout', 'skip']),
    seconds: z.number().nonnegative(),
    log: z.string().min(1).describe("relative to the probe's output folder"),
    message: z.string().nullable(),
  })
  .strict();
export type OpResult = z.infer<typeof OpResult>;

/** What a probe writes to $TTPROBE_RESULT_FILE. The harness decides the final status. */
export const ProbeResult = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION),
    probe: z.string().optional(),
    status: z.enum(['pass', 'compiled', 'fail', 'skip']).describe('compiled: under TTPROBE_MOCK, the workload compiled and nothing ran'),
    target: Target.optional(),
    devicesSeen: z.array(z.string()).default([]),
    placement: z
      .object({ platform: z.string(), device: z.string() })
      .strict()
      .nullable()
      .default(null)
      .describe('where the output array actually lived'),
    timings: z.record(z.string(), z.number()).default({}),
    metrics: z.record(z.string(), z.number()).default({}),
    versions: z.record(z.string(), z.string()).default({}),
    artifacts: z.array(Artifact).default([]),
    census: OpCounts.default({}).describe('op totals over every census phase but the reference'),
    censusPhases: z.array(CensusPhase).default([]).describe('every module JAX compiled in the probe, by phase'),
    stages: z
      .array(Stage)
      .default([])
      .describe('stages reached, in order; the runner prefers the stage file ($TTPROBE_STAGE_FILE), which survives a crash'),
    skipReason: z.string().nullable().default(null),
    missing: z.array(z.string()).default([]),
    message: z.string().nullable().default(null),
    details: z.record(z.string(), z.unknown()).default({}),
    opResults: z.array(OpResult).default([]).describe('per op, for op-coverage probes'),
  })
  .strict();
export type ProbeResult = z.infer<typeof ProbeResult>;
