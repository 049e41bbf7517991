import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { siteCatalogEntries } from './catalog-entries.js';
import { DEFAULT_STALE_AFTER_HOURS, type SystemFreshness } from './freshness.js';
import { boundRuns, loadRuns, type HistoryBounds } from './load-runs.js';
import { renderSite } from './pages.js';
import { buildSiteModel } from './site-model.js';
import { SITE_MARKER, SITE_MARKER_TEXT, checkOutDir } from './out-dir.js';
import { saveCache } from './run-cache.js';
import { checkCacheFile, defaultCacheFile } from './cache-path.js';
import { runDirs } from './collect.js';
import { lockOutDir } from './out-lock.js';
import { TtprobeError } from '../errors.js';

export interface SiteResult {
  outDir: string;
  pages: number;
  runs: number;
  skipped: string[];
  /** Run records read from disk this time, and taken from the cache. */
  read: number;
  cached: number;
  cacheProblem: string | null;
  stale: SystemFreshness[];
}

export interface SiteOptions {
  catalog?: string;
  /** Replace --out even when it is a file or a folder the site did not make. */
  force?: boolean;
  /** The run-record cache; default defaultCacheFile(out), outside the site; false for none. */
  cache?: string | false;
  bounds?: HistoryBounds;
  /** A system whose latest run is older than this is stale (default 48). */
  staleAfterHours?: number;
  now?: Date;
}

function boundsText(b: HistoryBounds = {}): string | null {
  const parts = [b.since ? `since ${b.since.slice(0, 10)}` : null, b.last !== undefined ? `the last ${b.last} run(s) of each system` : null].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** Staging and previous folders that a build killed mid-swap left beside `out`, and only ours. */
async function removeLeftovers(out: string): Promise<void> {
  const base = path.basename(out);
  const names = await readdir(path.dirname(out)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || !/\.(staging|previous)-\d+$/.test(name)) continue;
    const dir = path.join(path.dirname(out), name);
    if (!(await stat(path.join(dir, SITE_MARKER)).catch(() => null))) continue;
    // A previous site that a failed swap could not put back is the only copy: restore it, never delete it.
    if (name.includes('.previous-') && !(await stat(out).catch(() => null))) await rename(dir, out);
    else await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Puts `staging` where `out` is: `out` moves aside, `staging` takes its name, the old one goes. When
 * a rename fails, `out` is put back as it was and the error says so (or where it was kept).
 */
async function swapIn(staging: string, out: string): Promise<void> {
  const previous = `${out}.previous-${process.pid}`;
  const why = (err: unknown) => (err as Error).message;
  let movedAside: boolean;
  try {
    await rename(out, previous);
    movedAside = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new TtprobeError('internal', `could not move the previous site ${out} aside: ${why(err)}; it is left as it was`, { file: out, cause: err });
    }
    movedAside = false;
  }
  try {
    await rename(staging, out);
  } catch (err) {
    let after = 'there was no previous site';
    if (movedAside) {
      after = await rename(previous, out).then(
        () => 'the previous site is back in place',
        (undo: unknown) => `the previous site could not be put back (${why(undo)}) and is kept at ${previous}`,
      );
    }
    throw new TtprobeError('internal', `could not swap the new site into ${out}: ${why(err)}; ${after}`, { file: out, cause: err });
  }
  await rm(previous, { recursive: true, force: true });
}

/**
 * Renders the site into a fresh folder beside `outDir` and swaps it in, so readers never see a
 * half-written site and a failed render leaves the previous one in place. Only a folder the site
 * made (it holds SITE_MARKER), an empty one or nothing is replaced without `force`.
 */
export async function writeSite(runsDir: string, outDir: string, opts: SiteOptions = {}): Promise<SiteResult> {
  // Checked before anything is written, and again under the lock in case the folder changed meanwhile.
  let out = await checkOutDir(outDir, runsDir, opts.force ?? false);
  if (typeof opts.cache === 'string') opts = { ...opts, cache: await checkCacheFile(opts.cache, runsDir) };
  // A folder with no runs is bad input (a wrong path, a sync that did not happen), not an empty site.
  const dirs = await runDirs(path.resolve(runsDir), 3);
  if (!dirs.length) throw new TtprobeError('not-found', `no runs under ${runsDir}: no run.json in it or in its folders (3 deep); nothing to build`, { file: runsDir });
  await mkdir(path.dirname(out), { recursive: true });
  const release = await lockOutDir(out);
  try {
    out = await checkOutDir(outDir, runsDir, opts.force ?? false);
    await removeLeftovers(out);
    const catalogEntries = await siteCatalogEntries(opts.catalog);
    const cacheFile = opts.cache === false ? null : opts.cache ?? defaultCacheFile(out);
    const loaded = await loadRuns(runsDir, cacheFile, dirs);
    const problems = loaded.problems;
    const runs = boundRuns(loaded.runs, opts.bounds ?? {});
    const staleAfterHours = opts.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
    const model = buildSiteModel(runs, catalogEntries, out, { now: opts.now ?? new Date(), staleAfterHours, skipped: problems, bounds: boundsText(opts.bounds) });

    const staging = `${out}.staging-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    const pages = renderSite(model);
    for (const dir of new Set(pages.map(([file]) => path.dirname(file)))) await mkdir(path.join(staging, dir), { recursive: true });
    if (cacheFile) await mkdir(path.dirname(cacheFile), { recursive: true }).then(() => saveCache(cacheFile, loaded.cacheEntries));
    try {
      await writeFile(path.join(staging, SITE_MARKER), SITE_MARKER_TEXT);
      await Promise.all(pages.map(([file, html]) => writeFile(path.join(staging, file), html)));
      await swapIn(staging, out);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    return {
      outDir: out, pages: pages.length, runs: runs.length, skipped: problems,
      read: loaded.read, cached: loaded.cached, cacheProblem: loaded.cacheProblem, stale: model.staleSystems,
    };
  } finally {
    await release();
  }
}
