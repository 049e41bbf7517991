import type { CatalogEntry } from '../schemas/catalog.js';
import { rankImpact, type ImpactRow } from '../report/impact.js';
import { buildFeed, type FeedModel } from './feed.js';
import { freshnessOf, type SystemFreshness } from './freshness.js';
import { buildGrid, latestOccurrences, type Grid } from './grid.js';
import { buildHistory, type HistoryModel } from './model.js';
import { occurrencesOf } from './occurrences.js';
import { buildReleases, releaseLinks, type ReleaseLink, type ReleasePage } from './releases.js';
import type { SiteRun } from './site-run.js';
import { buildStatus, type StatusFiles } from './status.js';
import { buildOpCoverage, type OpCoveragePage } from './op-coverage.js';
import path from 'node:path';
import { isReference } from '../device/system-title.js';

export interface SiteModelOptions {
  now: Date;
  staleAfterHours: number;
  /** Runs left out (corrupt records), each naming its file. */
  skipped: string[];
  /** How history was bounded (`--since`, `--last`), in words; null when it was not. */
  bounds: string | null;
}

export interface SiteModel extends HistoryModel {
  generatedAt: string;
  runCount: number;
  skipped: string[];
  bounds: string | null;
  staleAfterHours: number;
  systems: SystemFreshness[];
  staleSystems: SystemFreshness[];
  grid: Grid;
  impact: ImpactRow[];
  releases: ReleaseLink[];
  releasePages: ReleasePage[];
  feed: FeedModel;
  status: StatusFiles;
  /** The op table per system, stack and compiler version; null when no run has op-coverage results. */
  opCoverage: OpCoveragePage | null;
}

/** Everything the site shows, computed from the runs alone. Pure. */
export function buildSiteModel(runs: SiteRun[], catalog: CatalogEntry[], outDir: string, opts: SiteModelOptions): SiteModel {
  const generatedAt = opts.now.toISOString();
  const occurrences = occurrencesOf(runs, outDir);
  const latest = latestOccurrences(occurrences);
  const systems = freshnessOf(runs, opts.now, opts.staleAfterHours);
  const releasePages = buildReleases(runs);
  return {
    generatedAt,
    runCount: runs.length,
    skipped: opts.skipped,
    bounds: opts.bounds,
    staleAfterHours: opts.staleAfterHours,
    systems,
    staleSystems: systems.filter((s) => s.stale),
    grid: buildGrid(runs, occurrences),
    // What blocks most is asked of Tenstorrent systems: a reference run's failures are not ranked.
    impact: rankImpact(latest.filter((o) => !isReference(o.target)), new Map(catalog.map((e) => [e.id, e.title]))),
    releases: releaseLinks(releasePages),
    releasePages,
    feed: buildFeed(runs, generatedAt),
    status: buildStatus(latest, systems, generatedAt, opts.staleAfterHours),
    opCoverage: buildOpCoverage(runs, (run) => path.relative(outDir, run.dir).split(path.sep).join('/')),
    ...buildHistory(runs, occurrences, catalog),
  };
}
