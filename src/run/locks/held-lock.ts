import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { checkIdentity, identityOf, parseIdentity, type ProcessIdentity } from '../safety/process-identity.js';

/**
 * One lock file that names its holder, shared by the run lock and the device locks.
 *
 * The file is made complete under a private name and linked into place (link(2) refuses an existing
 * name), so a lock never exists without its holder, and given back with one unlink: a process killed
 * while taking or giving back a lock leaves either a lock naming a dead holder or none, never a
 * holder-less lock that others must wait out. Whether a lock may be taken over is asked of its
 * holder: alive on this host (same pid, start time and boot), never, however long it was stopped;
 * gone, at once. Only a holder this host cannot check (another host, or a lock in an older format)
 * falls back to the lock's mtime, which a live holder refreshes.
 */

/** A lock whose holder cannot be checked is taken over once it has not been refreshed for this long. */
export const UNCHECKABLE_STALE_MS = 10_000;
const REFRESH_MS = 2_000;

export interface StoredHolder {
  pid: number;
  host: string;
  since: string;
  identity: ProcessIdentity | null;
  [field: string]: unknown;
}

export interface HeldLock {
  /** Aborted, with a sentence as its reason, once the lock is no longer ours (removed or replaced). */
  lost: AbortSignal;
  /** Replaces the holder's details in place; the lock stays held throughout. */
  rewrite(details: Record<string, unknown>): Promise<void>;
  /** Gives the lock back if it is still ours; safe to call more than once. */
  release(): Promise<void>;
}

const privateName = (lockPath: string, what: string) => `${lockPath}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`;

/** The holder a lock names, or null where it names none this version can read (an older format). */
export async function readHolder(lockPath: string): Promise<StoredHolder | null> {
  try {
    const h = JSON.parse(await readFile(lockPath, 'utf8')) as StoredHolder;
    if (typeof h !== 'object' || h === null || typeof h.host !== 'string') return null;
    return { ...h, identity: parseIdentity(JSON.stringify(h.identity ?? null)) };
  } catch {
    return null;
  }
}

async function abandoned(lockPath: string, holder: StoredHolder | null, mtimeMs: number): Promise<boolean> {
  if (holder && holder.host === os.hostname() && holder.identity) return checkIdentity(holder.identity).verdict !== 'same';
  return Date.now() - mtimeMs > UNCHECKABLE_STALE_MS;
}

/** Writes `content` under a private name next to `lockPath` and returns that name. */
async function staged(lockPath: string, content: string): Promise<string> {
  const tmp = privateName(lockPath, 'new');
  await writeFile(tmp, content, { flag: 'wx' });
  return tmp;
}

/**
 * Takes over an abandoned lock: removed only while holding `<lock>.takeover` (made with O_EXCL) and
 * only if it is still the very file judged abandoned, so two takers can never both remove a lock and
 * each link their own. The guard is held for a moment; one left by a taker killed inside that moment
 * is cleared once 10 s old. False when another taker holds the guard: try again shortly.
 */
async function reap(lockPath: string, judgedIno: number): Promise<boolean> {
  const guard = `${lockPath}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const s = await stat(guard).catch(() => null);
    if (s && Date.now() - s.mtimeMs > UNCHECKABLE_STALE_MS) await rm(guard, { force: true });
    return false;
  }
  try {
    const s = await stat(lockPath).catch(() => null);
    if (s?.ino === judgedIno) await rm(lockPath, { recursive: true, force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

function hold(lockPath: string, ino: number, base: StoredHolder): HeldLock {
  const lost = new AbortController();
  let mine = ino;
  let released = false;
  // Refreshes, rewrites and the release take turns, so a check never sees a rewrite half done.
  let turn = Promise.resolve();
  const inTurn = (task: () => Promise<void>) => (turn = turn.then(task, task).catch(() => undefined));
  const stillMine = async () => {
    const s = await stat(lockPath).catch(() => null);
    if (s?.ino === mine) return true;
    if (!lost.signal.aborted) lost.abort(`the lock ${lockPath} was ${s ? 'replaced' : 'removed'} by someone else`);
    return false;
  };
  const timer = setInterval(() => {
    void inTurn(async () => {
      if (released || lost.signal.aborted || !(await stillMine())) return;
      const now = new Date();
      await utimes(lockPath, now, now).catch(() => undefined);
    });
  }, REFRESH_MS);
  timer.unref();
  return {
    lost: lost.signal,
    rewrite: (details) =>
      inTurn(async () => {
        if (released || !(await stillMine())) return;
        const tmp = await staged(lockPath, JSON.stringify({ ...base, ...details }));
        const s = await stat(tmp);
        await rename(tmp, lockPath);
        mine = s.ino;
      }),
    release: () =>
      inTurn(async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        if (await stillMine()) await unlink(lockPath).catch(() => undefined);
      }),
  };
}

/** Takes the lock at `lockPath` for this process, or says who holds it (null: a holder it cannot name). */
export async function tryTakeLock(lockPath: string, details: Record<string, unknown>): Promise<HeldLock | { busy: StoredHolder | null }> {
  const holder: StoredHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), identity: identityOf(process.pid), ...details };
  const tmp = await staged(lockPath, JSON.stringify(holder));
  try {
    // A few rounds at most: a taker that finds the takeover guard held waits for it a moment.
    for (let tries = 0; tries < 50; tries++) {
      try {
        await link(tmp, lockPath);
        return hold(lockPath, (await stat(lockPath)).ino, holder);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const s = await stat(lockPath).catch(() => null);
      if (!s) continue;
      const found = s.isFile() ? await readHolder(lockPath) : null;
      if (!(await abandoned(lockPath, found, s.mtimeMs))) return { busy: found };
      if (!(await reap(lockPath, s.ino))) await new Promise((r) => setTimeout(r, 20));
    }
    return { busy: await readHolder(lockPath) };
  } finally {
    await rm(tmp, { force: true });
  }
}

export const describeHolder = (h: StoredHolder | null, doing?: (h: StoredHolder) => string | undefined) => {
  if (!h) return 'another ttprobe process';
  const what = doing?.(h);
  return `ttprobe pid ${h.pid} on ${h.host}${what ? ` (${what})` : ''} since ${h.since}`;
};
