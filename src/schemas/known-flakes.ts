import { z } from 'zod';
import { ProbeId } from './manifest.js';
import { Tier } from './device.js';

/**
 * One known flake, as deqp-runner's flakes list names them: a probe id, or a pattern over probe ids,
 * with why it flakes. The runner retries it; compare does not call its changes regressions.
 */
export const KnownFlake = z
  .object({
    probe: ProbeId.optional().describe('one probe id'),
    pattern: z.string().min(1).optional().describe('a regular expression matched against the whole probe id (e.g. "sd-.*")'),
    tiers: z.array(Tier).optional().describe('only on these systems (default: every system)'),
    reason: z.string().min(1).describe('why it flakes, for whoever reads the report'),
    links: z.array(z.string().url()).default([]).describe('where the flake is filed upstream'),
    retries: z.number().int().min(0).max(10).default(2).describe('how often the runner re-runs it when it fails (at least --retries)'),
  })
  .strict()
  .refine((f) => (f.probe === undefined) !== (f.pattern === undefined), { message: 'give exactly one of probe and pattern' });
export type KnownFlake = z.infer<typeof KnownFlake>;

/** A known-flakes file (`--flakes FILE`). */
export const KnownFlakes = z
  .object({
    $schema: z.string().optional(),
    flakes: z.array(KnownFlake),
  })
  .strict();
export type KnownFlakes = z.infer<typeof KnownFlakes>;
