import { statSync } from 'node:fs';
import path from 'node:path';
import { boundedWalk } from './bounded-walk.js';
import { GUARD_WALK_CAP } from './run-dir-guard.js';

/** Files under the watched places, with size and mtime, to notice a probe writing where it should not. */
export type Listing = Map<string, string>;

/** How deep under the probe's source folder files are compared. */
const DEPTH = 4;

/**
 * The probe's source folder (the run directory is watched by RunDirGuard), at most GUARD_WALK_CAP
 * entries: a probe that fills its own source folder cannot make the runner list it whole, twice.
 * Synchronous: a few stat calls cost microseconds this way, a millisecond each through the thread pool.
 */
export async function listWatched(probeSourceDir: string): Promise<Listing> {
  const listing: Listing = new Map();
  boundedWalk(probeSourceDir, GUARD_WALK_CAP, (full, entry) => {
    if (entry.name === '__pycache__') return false;
    if (entry.isDirectory()) return path.relative(probeSourceDir, full).split(path.sep).length < DEPTH;
    const s = statSync(full, { throwIfNoEntry: false });
    if (s) listing.set(full, `${s.size}:${s.mtimeMs}`);
  });
  return listing;
}

export function strayWrites(before: Listing, after: Listing): string[] {
  return [...after].filter(([file, sig]) => before.get(file) !== sig).map(([file]) => file).sort();
}
