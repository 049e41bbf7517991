import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../schemas/run-record.js';
import { readRunRecord } from '../record/run-record.js';
import { RUN_RECORD } from '../record/paths.js';
import { TtprobeError } from '../errors.js';

export interface StoredRun {
  dir: string;
  record: RunRecord;
}

export async function runDirs(root: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read runs directory ${root}: ${(err as Error).message}`, { file: root });
  }
  if (entries.some((e) => e.isFile() && e.name === RUN_RECORD)) return [root];
  if (depth === 0) return [];
  const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => runDirs(path.join(root, e.name), depth - 1)));
  return nested.flat();
}

/**
 * Every run record under `root` (up to three folders deep), oldest first. A record that cannot be read
 * is reported and left out, so one corrupt night does not take the whole site down.
 */
export async function collectRuns(root: string): Promise<{ runs: StoredRun[]; problems: string[] }> {
  const dirs = await runDirs(path.resolve(root), 3);
  const runs: StoredRun[] = [];
  const problems: string[] = [];
  await Promise.all(
    dirs.map(async (dir) => {
      try {
        runs.push({ dir, record: await readRunRecord(dir) });
      } catch (err) {
        problems.push((err as Error).message);
      }
    }),
  );
  runs.sort((a, b) => a.record.startedAt.localeCompare(b.record.startedAt) || a.record.runId.localeCompare(b.record.runId));
  return { runs, problems: problems.sort() };
}
