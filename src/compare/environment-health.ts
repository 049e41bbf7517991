import type { Outcome } from '../schemas/outcome.js';
import type { RunRecord } from '../schemas/run-record.js';
import type { BrokenEnvironment } from '../schemas/broken-environment.js';

/**
 * Stopped by its environment rather than by the stack under test: the preflight's skips (a missing
 * module, an unset variable, an interpreter that cannot import anything) and failures the harness or
 * the catalog put down to the environment (a probe process that could not be spawned).
 */
export const stoppedByEnvironment = (o: Pick<Outcome, 'status' | 'category'>) =>
  o.status !== 'pass' && (o.category === 'missing-dependency' || o.category === 'environment');

/** The probe got as far as a verdict on the stack itself. */
export const ranOnStack = (o: Pick<Outcome, 'status' | 'category'>) => o.status !== 'skip' && !stoppedByEnvironment(o);

const MAX_CAUSES = 3;
const firstLine = (s: string) => (s.split('\n')[0] ?? '').slice(0, 200);

/**
 * Stacks of `run` whose every probe was stopped by the environment while `ranIn(stack, outcomes)` names
 * a reference in which that stack ran. A stack that never ran there (a CPU box without ttnn, every
 * night) is not news; one that ran last night and cannot start tonight is.
 */
export function brokenEnvironments(run: RunRecord, ranIn: (stack: string, outcomes: Outcome[]) => string | null): BrokenEnvironment[] {
  const byStack = new Map<string, Outcome[]>();
  for (const o of run.outcomes) byStack.set(o.stack, [...(byStack.get(o.stack) ?? []), o]);
  const found: BrokenEnvironment[] = [];
  for (const [stack, outcomes] of [...byStack].sort(([a], [b]) => a.localeCompare(b))) {
    if (!outcomes.every(stoppedByEnvironment)) continue;
    const reference = ranIn(stack, outcomes);
    if (!reference) continue;
    const causes = [...new Set(outcomes.map((o) => `${o.category}: ${firstLine(o.reason)}`))];
    found.push({
      tier: run.fingerprint.tier,
      stack,
      run: run.runId,
      reference,
      probes: outcomes.map((o) => o.probe),
      causes: causes.slice(0, MAX_CAUSES),
    });
  }
  return found;
}

/**
 * Against earlier runs of the same tier: the latest one in which one of the same probes of the stack
 * reached a verdict (a run filtered to other probes of the stack says nothing about these).
 */
export function brokenAgainstRuns(run: RunRecord, earlier: RunRecord[]): BrokenEnvironment[] {
  const sameTier = earlier.filter((r) => r.fingerprint.tier === run.fingerprint.tier);
  return brokenEnvironments(run, (stack, outcomes) => {
    const probes = new Set(outcomes.map((o) => o.probe));
    const ran = (r: RunRecord) => r.outcomes.some((o) => o.stack === stack && probes.has(o.probe) && ranOnStack(o));
    return [...sameTier].reverse().find(ran)?.runId ?? null;
  });
}
