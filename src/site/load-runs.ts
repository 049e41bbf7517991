import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readRunRecord } from '../record/run-record.js';
import { RUN_RECORD } from '../record/paths.js';
import { runDirs } from './collect.js';
import { loadCache, type CacheEntry } from './run-cache.js';
import { summarizeRun, type SiteRun } from './site-run.js';

export interface LoadedRuns {
  /** Oldest first. */
  runs: SiteRun[];
  /** Records left out, each naming its file and what is wrong. */
  problems: string[];
  /** How many records were read from disk, and how many came from the cache. */
  read: number;
  cached: number;
  cacheProblem: string | null;
  /** What the next build's cache should hold: every record read or reused now. */
  cacheEntries: Map<string, CacheEntry>;
}

/** Changes whenever the file is rewritten, in place or by rename (atomic writes). */
async function identityOf(file: string): Promise<string> {
  const s = await stat(file, { bigint: true });
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
}

/**
 * Every run under `root` as the site needs it. With a cache file, records whose run.json is
 * unchanged since the last build come from the cache and only new or changed ones are read.
 * Records that fail to read are never cached, so they are named again on every build.
 */
export async function loadRuns(root: string, cacheFile: string | null, found?: string[]): Promise<LoadedRuns> {
  const dirs = found ?? (await runDirs(path.resolve(root), 3));
  const cache = cacheFile ? await loadCache(cacheFile) : { entries: new Map<string, CacheEntry>(), problem: null };
  const next = new Map<string, CacheEntry>();
  const runs: SiteRun[] = [];
  const problems: string[] = [];
  let read = 0;
  await Promise.all(
    dirs.map(async (dir) => {
      const file = path.join(dir, RUN_RECORD);
      try {
        const key = await identityOf(file);
        const hit = cache.entries.get(file);
        let run: SiteRun;
        if (hit && hit.key === key && hit.run.dir === dir) {
          run = hit.run;
        } else {
          run = summarizeRun(dir, await readRunRecord(dir));
          read++;
        }
        next.set(file, { key, run });
        runs.push(run);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }),
  );
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
  return { runs, problems: problems.sort(), read, cached: runs.length - read, cacheProblem: cache.problem, cacheEntries: next };
}

export interface HistoryBounds {
  /** Only runs started on or after this ISO date. */
  since?: string;
  /** Only the last N runs of each system. */
  last?: number;
}

export function boundRuns(runs: SiteRun[], bounds: HistoryBounds): SiteRun[] {
  let kept = bounds.since ? runs.filter((r) => r.startedAt >= bounds.since!) : runs;
  if (bounds.last !== undefined) {
    const seen = new Map<string, number>();
    kept = [...kept]
      .reverse()
      .filter((r) => {
        const n = (seen.get(r.fingerprint.tier) ?? 0) + 1;
        seen.set(r.fingerprint.tier, n);
        return n <= bounds.last!;
      })
      .reverse();
  }
  return kept;
}
