import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TtprobeError } from '../../errors.js';
import { identityOf, type ProcessIdentity } from '../safety/process-identity.js';
import { NEVER_STALE_MS, UNCHECKABLE_STALE_MS, holderIdentity, lockIsAbandoned } from './liveness.js';

/** Held by the runner for as long as it writes into a run directory; --resume must take it too. */
export const RUN_LOCK = 'run.lock';
export const RUN_LOCK_HOLDER = 'run.lock.holder.json';
const TAKEOVER_LOCK = 'run.lock.takeover';

interface Holder {
  pid: number;
  host: string;
  since: string;
  identity: ProcessIdentity | null;
}

const lockOptions = (runDir: string, file: string) => ({
  lockfilePath: path.join(runDir, file),
  // The run lock's staleness is decided by its holder's liveness (lockIsAbandoned), not by mtime
  // alone; the takeover lock is held for a moment only, and the mtime rule suits it.
  stale: file === RUN_LOCK ? NEVER_STALE_MS : UNCHECKABLE_STALE_MS,
  update: 2_000,
  realpath: false,
  // A probe that deletes the lock must not crash the runner; the integrity check notes the change.
  onCompromised: () => undefined,
});

async function readHolder(runDir: string): Promise<Holder | null> {
  try {
    const h = JSON.parse(await readFile(path.join(runDir, RUN_LOCK_HOLDER), 'utf8')) as Holder;
    return { ...h, identity: holderIdentity(h.identity) };
  } catch {
    return null;
  }
}

const describe = (h: Holder | null) => (h ? `ttprobe pid ${h.pid} on ${h.host} since ${h.since}` : 'another ttprobe process');

/**
 * Takes the run directory's own lock, or refuses naming who holds it. proper-lockfile keeps the lock
 * fresh while we live; a holder killed outright on this host is recognised at once by its process
 * identity, so a resume right after a SIGKILL does not wait for the lock to go stale. Taking over a
 * dead holder's lock happens under a second lock, so two resumes cannot both take it over.
 */
export async function acquireRunLock(runDir: string): Promise<() => Promise<void>> {
  const take = async () => {
    const release = await lockfile.lock(runDir, lockOptions(runDir, RUN_LOCK));
    const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), identity: identityOf(process.pid) };
    await writeFile(path.join(runDir, RUN_LOCK_HOLDER), JSON.stringify(holder));
    return async () => {
      await rm(path.join(runDir, RUN_LOCK_HOLDER), { force: true });
      await release().catch(() => undefined);
    };
  };
  const refuse = async () =>
    new TtprobeError('run-busy', `run ${runDir} is in use by ${describe(await readHolder(runDir))}; let it finish or stop it before resuming`);

  try {
    return await take();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
  }
  let releaseTakeover: () => Promise<void>;
  try {
    releaseTakeover = await lockfile.lock(runDir, lockOptions(runDir, TAKEOVER_LOCK));
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw await refuse();
    throw err;
  }
  try {
    if (!(await lockIsAbandoned(path.join(runDir, RUN_LOCK), await readHolder(runDir)))) throw await refuse();
    await rm(path.join(runDir, RUN_LOCK), { recursive: true, force: true });
    return await take();
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw await refuse();
    throw err;
  } finally {
    await releaseTakeover().catch(() => undefined);
  }
}
