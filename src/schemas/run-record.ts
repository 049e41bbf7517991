import { z } from 'zod';
import { DeviceReport, Tier } from './device.js';
import { Target } from './manifest.js';
import { Outcome } from './outcome.js';
import { BrokenEnvironment } from './broken-environment.js';

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
  expectedFailures: z.array(z.string()).describe('failed with the expected status, category and rule'),
  unexpectedFailures: z.array(z.string()).describe('failed where a pass, a skip or another failure was expected'),
  unexpectedPasses: z.array(z.string()),
  unexpectedSkips: z.array(z.string()).default([]).describe('skipped where the baseline expected the probe to run'),
  flaky: z.array(z.string()),
  mismatches: z
    .array(z.object({ probe: z.string(), expected: z.string(), actual: z.string() }))
    .default([])
    .describe('every unexpected outcome, in words: `fail (unsupported-op: ...)` expected, `crash (...)` seen'),
  brokenEnvironment: z.array(BrokenEnvironment).default([]).describe('stacks the baseline expects to run that the environment stopped'),
});
export type BaselineSummary = z.infer<typeof BaselineSummary>;

export const LockedDevice = z.object({
  key: z.string().describe('name of its lock under $TTPROBE_LOCK_DIR'),
  label: z.string(),
  node: z.string().nullable().describe('/dev/tenstorrent/<N>, when the device was found by its node'),
  pci: z.string().nullable(),
  serial: z.string().nullable().describe("board serial (tt-smi's board_id)"),
});
export type LockedDevice = z.infer<typeof LockedDevice>;

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
  lockedDevices: z.array(LockedDevice).default([]).describe('the physical devices the run held locked while its probes ran'),
});
export type RunRecord = z.infer<typeof RunRecord>;
