import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files under the watched places, with size and mtime, to notice a probe writing where it should not. */
export type Listing = Map<string, string>;

const HARNESS_FILES = new Set(['run.json', 'journal.jsonl', 'probes', 'report', 'run.lock', 'run.lock.holder.json', 'run.lock.takeover', 'journal.torn']);

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

/** The run directory's own level (not other probes' folders) and the probe's source folder. */
export async function listWatched(runDir: string, probeSourceDir: string): Promise<Listing> {
  const listing: Listing = new Map();
  await walk(runDir, 0, listing, (name) => HARNESS_FILES.has(name) || name.endsWith('.tmp'));
  await walk(probeSourceDir, 3, listing, () => false);
  return listing;
}

export function strayWrites(before: Listing, after: Listing): string[] {
  return [...after].filter(([file, sig]) => before.get(file) !== sig).map(([file]) => file).sort();
}
