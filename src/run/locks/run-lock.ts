import path from 'node:path';
import { TtprobeError } from '../../errors.js';
import { describeHolder, tryTakeLock, type HeldLock } from './held-lock.js';

/** Held by the runner for as long as it writes into a run directory; --resume must take it too. */
export const RUN_LOCK = 'run.lock';

/**
 * Takes the run directory's own lock, or refuses naming who holds it. A holder alive on this host
 * keeps it however long it was stopped; one killed outright is recognised at once by its process
 * identity, so a resume right after a SIGKILL does not wait (see held-lock.ts).
 */
export async function acquireRunLock(runDir: string): Promise<HeldLock> {
  const taken = await tryTakeLock(path.join(runDir, RUN_LOCK), {});
  if ('busy' in taken) {
    throw new TtprobeError('run-busy', `run ${runDir} is in use by ${describeHolder(taken.busy)}; let it finish or stop it before resuming`);
  }
  return taken;
}
