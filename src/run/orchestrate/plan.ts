import { createHash } from 'node:crypto';
import path from 'node:path';
import type { DeviceReport } from '../../schemas/device.js';
import type { LoadedProbe, Target } from '../../schemas/manifest.js';
import { RUN_SCHEMA_VERSION, type Fingerprint, type RunOptions, type RunRecord } from '../../schemas/run-record.js';
import { newRunId } from '../../record/paths.js';
import { TOOL_VERSION } from '../../version.js';
import type { Filters } from './select.js';
import type { StackSettings } from '../../config/stack-settings.js';
import { Stack } from '../../schemas/manifest.js';
import type { StackRunSettings } from '../../schemas/run-record.js';
import { stackEnv } from '../../environment/env-profile.js';
import { plannedTimeouts } from './run-settings.js';

export interface PlanOptions {
  runsDir: string;
  probesDir: string;
  python: string;
  stacks: StackSettings;
  /** The caller's environment, from which each stack's environment is made. */
  env: NodeJS.ProcessEnv;
  timeouts?: Record<string, number>;
  configFile?: string | null;
  device: DeviceReport;
  catalogVersion: string;
  target?: Target;
  size?: 'tiny' | 'full';
  devices?: number;
  filters?: Filters;
  retries?: number;
}

export function fingerprintOf(device: DeviceReport): Fingerprint {
  const xla = device.stacks['tt-xla'].versions;
  return {
    tier: device.tier,
    firmwareBundle: device.firmwareBundle,
    kmd: device.kmd,
    jax: xla.jax ?? null,
    jaxlib: xla.jaxlib ?? null,
    plugin: xla['pjrt-plugin-tt'] ?? null,
    ttMetal: device.stacks['tt-metal'].versions['tt-metal'] ?? null,
    host: device.host.Hostname ?? 'unknown',
  };
}

/**
 * A config variable as the record keeps it: a digest of name and value, never the value. Whether a
 * value is secret cannot be told from its name (GITHUB_PAT, AUTH), and the record is published;
 * the digest still tells a resume or a merge that a value changed.
 */
export function envDigest(name: string, value: string): string {
  return `sha256:${createHash('sha256').update(`${name}\0${value}`).digest('hex').slice(0, 16)}`;
}

/**
 * What each stack's probes run with, as the record keeps it: its interpreter, its effective
 * TT_METAL_HOME and its extra variables' names with digests of their values.
 */
export function stackRunSettings(stacks: StackSettings, baseEnv: NodeJS.ProcessEnv): Record<Stack, StackRunSettings> {
  const one = (stack: Stack): StackRunSettings => {
    const extra = stacks[stack].env ?? {};
    return {
      python: stacks[stack].python,
      ttMetalHome: stackEnv(stack, baseEnv, stacks[stack]).TT_METAL_HOME ?? null,
      env: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, envDigest(k, v)])),
    };
  };
  return { 'tt-xla': one('tt-xla'), 'tt-metal': one('tt-metal') };
}

/** The run directory and record a new run will have; nothing is written yet. */
export function planRun(opts: PlanOptions, selected: LoadedProbe[]): { runDir: string; record: RunRecord } {
  const target = opts.target ?? opts.device.target;
  const now = new Date();
  const runDir = path.resolve(opts.runsDir, newRunId(now, opts.device.tier));
  const options: RunOptions = {
    target,
    size: opts.size ?? 'tiny',
    devices: opts.devices ?? 1,
    filters: opts.filters ?? { probe: [], stack: [], tag: [] },
    probesDir: path.resolve(opts.probesDir),
    python: opts.python,
    retries: opts.retries ?? 0,
    stacks: stackRunSettings(opts.stacks, opts.env),
    timeouts: plannedTimeouts(opts.timeouts, selected.map((p) => p.id)),
    config: opts.configFile ?? null,
  };
  const record: RunRecord = {
    schemaVersion: RUN_SCHEMA_VERSION,
    tool: { name: 'ttprobe', version: TOOL_VERSION },
    runId: path.basename(runDir),
    state: 'running',
    startedAt: now.toISOString(),
    finishedAt: null,
    durationS: null,
    options,
    device: opts.device,
    fingerprint: fingerprintOf(opts.device),
    catalogVersion: opts.catalogVersion,
    planned: selected.map((p) => p.id),
    outcomes: [],
    baseline: null,
    mergedFrom: [],
    lockedDevices: [],
  };
  return { runDir, record };
}
