import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readRunRecord } from '../record/run-record.js';
import type { RunRecord } from '../schemas/run-record.js';

/** How many earlier runs of the tier a run is held against when it has no baseline: enough to find the last night a stack ran. */
const LOOK_BACK = 30;

/**
 * The runs before `runDir` in its runs folder, of the same tier, oldest first (run folders are named
 * by their start time). Unreadable records are passed over: a run must not fail for a neighbour.
 */
export async function earlierRunsOf(runDir: string, tier: string, lookBack = LOOK_BACK): Promise<RunRecord[]> {
  const parent = path.dirname(runDir);
  const self = path.basename(runDir);
  const names = (await readdir(parent, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory() && e.name < self)
    .map((e) => e.name)
    .sort()
    .reverse();
  const found: RunRecord[] = [];
  for (const name of names) {
    if (found.length >= lookBack) break;
    const record = await readRunRecord(path.join(parent, name)).catch(() => null);
    if (record?.fingerprint.tier === tier) found.push(record);
  }
  return found.reverse();
}
