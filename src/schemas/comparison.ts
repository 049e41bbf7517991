import { z } from 'zod';
import { Category, Status } from './outcome.js';
import { BrokenEnvironment } from './broken-environment.js';
import { Stage } from './stage.js';
import { CHANGE_KINDS, DEFAULT_FAIL_ON, TRANSITION_KINDS } from './change-kinds.js';

/** A probe's state on one side of a comparison: a status, or no outcome at all. */
export const ProbeState = z.enum([...Status.options, 'missing']);
export type ProbeState = z.infer<typeof ProbeState>;

/** One enumerated list of kinds (src/schemas/change-kinds.ts, kept free of zod for the CLI's start-up). */
export const TransitionKind = z.enum(TRANSITION_KINDS);
export type TransitionKind = z.infer<typeof TransitionKind>;
export const ChangeKind = z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof ChangeKind>;
export { DEFAULT_FAIL_ON };

export const StateDetail = z.object({
  state: ProbeState,
  category: Category.nullable(),
  ruleId: z.string().nullable().describe('rule id, or the signature of an unknown failure'),
  stage: Stage.nullable().default(null).describe('the stage a failing outcome stopped at (import, setup, lower, compile, execute, compare)'),
});
export type StateDetail = z.infer<typeof StateDetail>;

export const Change = z.object({
  kind: ChangeKind,
  probe: z.string(),
  tier: z.string(),
  transition: z.string().describe('for a person: `pass -> fail (unsupported-op: stablehlo.reduce_window)`'),
  from: StateDetail.optional().describe('the base side: its state on a transition of run against run, its representative night in release mode'),
  to: StateDetail.optional().describe('the new side: its state on a transition of run against run, its representative night in release mode'),
  detail: z.string().optional(),
  links: z.array(z.string()).optional().describe("where the known error behind the change is filed upstream (the catalog entry's links)"),
  rates: z
    .object({ basePasses: z.number().int(), baseRuns: z.number().int(), newPasses: z.number().int(), newRuns: z.number().int(), pValue: z.number() })
    .optional()
    .describe("release mode: pass counts and Fisher's exact p-value"),
});
export type Change = z.infer<typeof Change>;

export const EnvironmentChange = z.object({ field: z.string(), base: z.string(), new: z.string() });
export type EnvironmentChange = z.infer<typeof EnvironmentChange>;

/** One failure reason ranked by how many workload x system x stack cells it blocks (see rankImpact). */
export const ImpactRow = z.object({
  key: z.string().describe('rule:<catalog id>, signature:<hash> or category:<category>'),
  kind: z.enum(['catalog', 'signature', 'uncatalogued']),
  ruleId: z.string().nullable(),
  signature: z.string().nullable(),
  category: z.string().nullable(),
  title: z.string(),
  blocks: z.number().int().describe('workload x system x stack combinations it blocks'),
  probes: z.number().int(),
  blocked: z.array(z.object({ tier: z.string(), stack: z.string(), workload: z.string(), probes: z.array(z.string()) })),
});
export type ImpactRow = z.infer<typeof ImpactRow>;

/** `ttprobe compare --json`. */
export const Comparison = z.object({
  mode: z.enum(['run', 'release']),
  base: z.array(z.string()),
  new: z.array(z.string()),
  environment: z.array(EnvironmentChange).describe('fingerprint fields (firmware, KMD, plugin, ...) that differ'),
  brokenEnvironment: z.array(BrokenEnvironment).describe('non-empty means exit code 4'),
  changes: z.array(Change),
  impact: z
    .array(ImpactRow)
    .default([])
    .describe('the failure reasons behind what changed for the worse, ranked by how many workload x system x stack cells they block'),
});
export type Comparison = z.infer<typeof Comparison>;
