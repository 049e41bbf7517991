import { stat } from 'node:fs/promises';
import os from 'node:os';
import { checkIdentity, parseIdentity, type ProcessIdentity } from '../safety/process-identity.js';

/**
 * When a held lock may be taken over. proper-lockfile alone calls a lock stale once its mtime has not
 * moved for `stale` ms, without asking whether the holder lives: a runner stopped (SIGSTOP, a paused
 * VM, swap) for longer lost its lock while still running. Here the holder's process identity decides
 * on this host (alive: never stale, however long it has not refreshed; gone: at once); only a holder
 * on another host, or one that left no identity, falls back to the mtime.
 */

/** Given to proper-lockfile so that its own mtime rule never fires; liveness below decides instead. */
export const NEVER_STALE_MS = 365 * 24 * 3600 * 1000;
/** A lock not refreshed for this long, by a holder this host cannot check, is taken over. */
export const UNCHECKABLE_STALE_MS = 10_000;

export interface LockHolder {
  host: string;
  identity: ProcessIdentity | null;
}

export const holderIdentity = (raw: unknown): ProcessIdentity | null => parseIdentity(JSON.stringify(raw ?? null));

/** Whether the lock at `lockDir` (proper-lockfile's folder) may be taken over from `holder`. */
export async function lockIsAbandoned(lockDir: string, holder: LockHolder | null): Promise<boolean> {
  if (holder && holder.host === os.hostname() && holder.identity) return checkIdentity(holder.identity).verdict !== 'same';
  const s = await stat(lockDir).catch(() => null);
  return s !== null && Date.now() - s.mtimeMs > UNCHECKABLE_STALE_MS;
}
