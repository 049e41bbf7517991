import { z } from 'zod';
import { ProbeId, Stack } from './manifest.js';

/** `ttprobe list --json`: what `ttprobe run` with the same filters would run, and what there is to choose from. */
export const ProbeList = z.object({
  probesDir: z.string(),
  filters: z.object({ probe: z.array(z.string()), stack: z.array(z.string()), tag: z.array(z.string()) }),
  shard: z.string().nullable().describe('i/n when --shard was given'),
  total: z.number().int().describe('probes in the probes folder'),
  perFilter: z
    .array(z.object({ flag: z.string(), value: z.string(), probes: z.number().int() }))
    .describe('how many probes each filter value selects on its own'),
  selected: z.array(
    z.object({
      id: ProbeId,
      title: z.string(),
      stack: Stack,
      workload: z.string(),
      tags: z.array(z.string()),
      needsDevice: z.boolean(),
      timeoutSeconds: z.number().int(),
      requires: z.object({ modules: z.array(z.string()), env: z.array(z.string()) }),
    }),
  ),
  stacks: z.record(z.string(), z.number().int()).describe('probes per stack, over the whole probes folder'),
  tags: z.record(z.string(), z.number().int()).describe('probes per tag, over the whole probes folder'),
});
export type ProbeList = z.infer<typeof ProbeList>;
