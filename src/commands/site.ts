import { TtprobeError } from '../errors.js';
import { parseDuration } from '../site/freshness.js';
import type { HistoryBounds } from '../site/load-runs.js';
import { writeSite, type SiteResult } from '../site/write-site.js';

export interface SiteFlags {
  out: string;
  catalog?: string;
  force?: boolean;
  since?: string;
  last?: string;
  staleAfter: string;
  failOnStale?: boolean;
  cache?: string | false;
}

function boundsOf(flags: SiteFlags): HistoryBounds {
  const bounds: HistoryBounds = {};
  if (flags.since !== undefined) {
    const t = Date.parse(flags.since);
    if (!/^\d{4}-\d{2}-\d{2}/.test(flags.since) || Number.isNaN(t)) {
      throw new TtprobeError('usage', `--since takes a date such as 2026-02-01 (or 2026-02-01T12:00Z), got '${flags.since}'`);
    }
    bounds.since = new Date(t).toISOString();
  }
  if (flags.last !== undefined) {
    if (!/^[1-9]\d*$/.test(flags.last)) throw new TtprobeError('usage', `--last takes a positive whole number of runs, got '${flags.last}'`);
    bounds.last = Number(flags.last);
  }
  return bounds;
}

/** Builds the site; returns whether a stale system should fail the command (--fail-on-stale). */
export async function siteCommand(runsDir: string, flags: SiteFlags, out: (s: string) => void): Promise<SiteResult & { failed: boolean }> {
  const staleAfterHours = parseDuration(flags.staleAfter);
  if (staleAfterHours === null || staleAfterHours <= 0) {
    throw new TtprobeError('usage', `--stale-after takes a duration such as 2d, 36h or 90m, got '${flags.staleAfter}'`);
  }
  const result = await writeSite(runsDir, flags.out, {
    catalog: flags.catalog,
    force: flags.force,
    cache: flags.cache,
    bounds: boundsOf(flags),
    staleAfterHours,
  });
  for (const problem of result.skipped) process.stderr.write(`ttprobe: left out of the site: ${problem}\n`);
  if (result.cacheProblem) process.stderr.write(`ttprobe: ${result.cacheProblem}\n`);
  for (const s of result.stale) {
    process.stderr.write(`ttprobe: stale: ${s.title}'s latest run (${s.latestRunId}) started ${s.latestRunAt}, over ${flags.staleAfter} ago\n`);
  }
  out(`site: ${result.pages} file(s) from ${result.runs} run(s) (${result.read} read, ${result.cached} from the cache) -> ${result.outDir}/index.html\n`);
  return { ...result, failed: Boolean(flags.failOnStale) && result.stale.length > 0 };
}
