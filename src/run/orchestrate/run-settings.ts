import { isDeepStrictEqual } from 'node:util';
import type { LoadedProbe, Stack } from '../../schemas/manifest.js';
import type { RunOptions, StackRunSettings } from '../../schemas/run-record.js';

/** Probes with the config's per-probe timeouts in place of their manifests', and the ids it names that are not probes. */
export function applyTimeouts(probes: LoadedProbe[], timeouts: Record<string, number> = {}): { probes: LoadedProbe[]; unknown: string[] } {
  const known = new Set(probes.map((p) => p.id));
  return {
    probes: probes.map((p) => (timeouts[p.id] === undefined ? p : { ...p, timeoutSeconds: timeouts[p.id]! })),
    unknown: Object.keys(timeouts).filter((id) => !known.has(id)),
  };
}

/**
 * The config's timeouts for the probes a run plans: all a record keeps (a config may name thousands
 * of probes, and shards of one run each keep their own, joined by merge).
 */
export function plannedTimeouts(timeouts: Record<string, number> = {}, planned: string[]): Record<string, number> {
  return Object.fromEntries(planned.filter((id) => timeouts[id] !== undefined).map((id) => [id, timeouts[id]!]));
}

/**
 * How two runs' stack settings differ (empty when they agree, or when either record predates
 * per-stack settings): one run is one environment. A resume compares what it would use with what
 * the run started with; merge can compare its shards' options the same way.
 */
export function settingsChanges(
  recorded: Pick<RunOptions, 'stacks' | 'timeouts'>,
  current: { stacks?: Record<Stack, StackRunSettings>; timeouts?: Record<string, number> },
): string[] {
  if (!recorded.stacks || !current.stacks) return [];
  const timeouts = current.timeouts ?? {};
  const changes: string[] = [];
  for (const stack of ['tt-xla', 'tt-metal'] as const) {
    const was = recorded.stacks[stack];
    const now = current.stacks[stack];
    if (was.python !== now.python) changes.push(`${stack} interpreter ${was.python} -> ${now.python}`);
    if (was.ttMetalHome !== now.ttMetalHome) changes.push(`${stack} TT_METAL_HOME ${was.ttMetalHome ?? '(unset)'} -> ${now.ttMetalHome ?? '(unset)'}`);
    if (!isDeepStrictEqual(was.env, now.env)) changes.push(`${stack} extra environment ${JSON.stringify(was.env)} -> ${JSON.stringify(now.env)}`);
  }
  if (!isDeepStrictEqual(recorded.timeouts ?? {}, timeouts)) {
    changes.push(`timeouts ${JSON.stringify(recorded.timeouts ?? {})} -> ${JSON.stringify(timeouts)}`);
  }
  return changes;
}
