import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files under the watched places, with size and mtime, to notice a probe writing where it should not. */
export type Listing = Map<string, string>;


async function walk(dir: string, depth: number, into: Listing, skip: (name: string) => boolean): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (skip(e.name) || e.name === '__pycache__') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0) await walk(full, depth - 1, into, () => false);
      continue;
    }
    const s = await stat(full).catch(() => null);
    if (s) into.set(full, `${s.size}:${s.mtimeMs}`);
  }
}

/** The probe's source folder (the run directory is watched whole by RunDirGuard). */
export async function listWatched(probeSourceDir: string): Promise<Listing> {
  const listing: Listing = new Map();
  await walk(probeSourceDir, 3, listing, () => false);
  return listing;
}

export function strayWrites(before: Listing, after: Listing): string[] {
  return [...after].filter(([file, sig]) => before.get(file) !== sig).map(([file]) => file).sort();
}
