import { z } from 'zod';
import { DeviceReport, Tier } from './device.js';
import { Target } from './manifest.js';
import { Outcome } from './outcome.js';

export const RUN_SCHEMA_VERSION = 1;

export const Fingerprint = z.object({
  tier: Tier,
  firmwareBundle: z.string().nullable(),
  kmd: z.string().nullable(),
  jax: z.string().nullable(),
  jaxlib: z.string().nullable(),
  plugin: z.string().nullable(),
  ttMetal: z.string().nullable(),
  host: z.string(),
});
export type Fingerprint = z.infer<typeof Fingerprint>;

/** What one stack's probes ran with; secret values of `env` are stored redacted. */
export const StackRunSettings = z.object({
  python: z.string(),
  ttMetalHome: z.string().nullable(),
  env: z.record(z.string(), z.string()),
});
export type StackRunSettings = z.infer<typeof StackRunSettings>;

export const RunOptions = z.object({
  target: Target,
  size: z.enum(['tiny', 'full']),
  devices: z.number().int().positive(),
  filters: z.object({ probe: z.array(z.string()), stack: z.array(z.string()), tag: z.array(z.string()) }),
  probesDir: z.string(),
  python: z.string().describe('the interpreter for stacks nothing else named; `stacks` has what each stack used'),
  retries: z.number().int().nonnegative().default(0),
  // Absent in records made before per-stack interpreters and the config file.
  stacks: z.object({ 'tt-xla': StackRunSettings, 'tt-metal': StackRunSettings }).optional(),
  timeouts: z.record(z.string(), z.number().int().positive()).optional().describe('per-probe timeouts the config set'),
  config: z.string().nullable().optional().describe('the config file the run read'),
});
export type RunOptions = z.infer<typeof RunOptions>;

export const BaselineSummary = z.object({
  source: z.string(),
  expectedFailures: z.array(z.string()),
  unexpectedFailures: z.array(z.string()),
  unexpectedPasses: z.array(z.string()),
  flaky: z.array(z.string()),
});
export type BaselineSummary = z.infer<typeof BaselineSummary>;

export const RunRecord = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('ttprobe'), version: z.string() }),
  runId: z.string(),
  state: z.enum(['running', 'complete', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationS: z.number().nonnegative().nullable(),
  options: RunOptions,
  device: DeviceReport,
  fingerprint: Fingerprint,
  catalogVersion: z.string(),
  planned: z.array(z.string()),
  outcomes: z.array(Outcome),
  baseline: BaselineSummary.nullable().default(null),
  mergedFrom: z.array(z.string()).default([]).describe('run ids of the shards this record joins'),
});
export type RunRecord = z.infer<typeof RunRecord>;
