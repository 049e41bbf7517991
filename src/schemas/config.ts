import { z } from 'zod';
import { ProbeId } from './manifest.js';

/** A variable name as a shell would accept it. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const Interpreter = z
  .string()
  .min(1)
  .describe('the Python this stack\'s probes run with: a path (relative to the config file) or a name looked up on PATH');

const ExtraEnv = z
  .record(EnvName, z.string())
  .describe("variables set for this stack's probes and its detection, over the caller's environment");

const TtXlaStack = z
  .object({
    python: Interpreter.optional(),
    env: ExtraEnv.optional(),
  })
  .strict();

const TtMetalStack = z
  .object({
    python: Interpreter.optional(),
    ttMetalHome: z
      .string()
      .min(1)
      .optional()
      .describe('the tt-metal checkout (relative to the config file): TT_METAL_HOME for tt-metal probes'),
    env: ExtraEnv.optional(),
  })
  .strict();

/** One machine's settings (`ttprobe.config.json`); CLI flags override every field. */
export const Config = z
  .object({
    $schema: z.string().optional(),
    stacks: z
      .object({ 'tt-xla': TtXlaStack.optional(), 'tt-metal': TtMetalStack.optional() })
      .strict()
      .optional(),
    devices: z.number().int().positive().optional().describe('default for --devices'),
    timeouts: z
      .record(ProbeId, z.number().int().positive().max(86_400))
      .optional()
      .describe("seconds per probe id, replacing the manifest's timeoutSeconds"),
  })
  .strict();
export type Config = z.infer<typeof Config>;
