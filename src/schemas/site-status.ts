import { z } from 'zod';
import { Tier } from './device.js';
import { Stack, Target } from './manifest.js';
import { Category, Layer, Status } from './outcome.js';

export const SITE_STATUS_VERSION = 1;

/** `status.json` of the support-status site: the latest verdict per system x workload x stack. */
export const SiteStatus = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(SITE_STATUS_VERSION),
  generatedAt: z.string().describe('when the site was built (ISO 8601)'),
  staleAfterHours: z.number().describe('a system whose latest run is older than this is stale'),
  systems: z.array(
    z.object({
      tier: Tier,
      latestRunId: z.string(),
      latestRunAt: z.string(),
      stale: z.boolean(),
    }),
  ),
  entries: z.array(
    z.object({
      tier: Tier,
      target: Target.describe('where the probes computed: `cpu` or `gpu` is a reference run, not a Tenstorrent verdict (and has no badge)'),
      stack: Stack,
      workload: z.string(),
      status: Status.describe('the worst latest verdict among the probes of this workload and stack (failures first, then pass, then skip)'),
      message: z.string().describe('the badge message, e.g. "fails (reduce_window)"'),
      date: z.string().describe('when the latest of these verdicts was recorded'),
      runId: z.string(),
      versions: z.object({ firmwareBundle: z.string().nullable(), plugin: z.string().nullable(), ttMetal: z.string().nullable() }),
      badge: z.string().nullable().describe('the shields.io endpoint file, relative to status.json; null for a reference run'),
      probes: z.array(
        z.object({
          probe: z.string(),
          title: z.string(),
          status: Status,
          category: Category.nullable(),
          layer: Layer.nullable(),
          ruleId: z.string().nullable(),
          signature: z.string().nullable(),
          op: z.string().nullable(),
          reason: z.string(),
          date: z.string(),
          runId: z.string(),
        }),
      ),
    }),
  ),
});
export type SiteStatus = z.infer<typeof SiteStatus>;

/** A shields.io endpoint badge (https://shields.io/badges/endpoint-badge): the fields ttprobe writes. */
export const ShieldsEndpoint = z
  .object({
    schemaVersion: z.literal(1),
    label: z.string(),
    message: z.string().min(1),
    color: z.string(),
  })
  .strict();
export type ShieldsEndpoint = z.infer<typeof ShieldsEndpoint>;
