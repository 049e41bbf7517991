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

/** What a probe writes to $TTPROBE_RESULT_FILE. The harness decides the final status. */
export const ProbeResult = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION),
    probe: z.string().optional(),
    status: z.enum(['pass', 'fail', 'skip']),
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
    census: z.record(z.string(), z.number().int().nonnegative()).default({}),
    stages: z
      .array(Stage)
      .default([])
      .describe('stages reached, in order; the runner prefers the stage file ($TTPROBE_STAGE_FILE), which survives a crash'),
    skipReason: z.string().nullable().default(null),
    missing: z.array(z.string()).default([]),
    message: z.string().nullable().default(null),
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type ProbeResult = z.infer<typeof ProbeResult>;
