import path from 'node:path';
import type { Fingerprint } from '../schemas/run-record.js';
import type { SiteOutcome, SiteRun } from './site-run.js';
import { runTitle, versionLinks, versionsText, type VersionLink } from './naming.js';

/** One outcome of one run, with what every page says about the run it came from. */
export interface Occurrence {
  runId: string;
  date: string;
  /** `2026-02-01 01:00` and `12.3`: made once here, because a helper call per row of a 1,000-night
   *  history table cost more than the rest of the row. */
  dayText: string;
  seconds: string;
  tier: string;
  /** Where the run's probes computed (`cpu`, `gpu`: a reference run). */
  target: string;
  /** The system in words: `N150`, `JAX on CPU (reference)`. */
  system: string;
  fingerprint: Fingerprint;
  versions: string;
  /** Each version linking to its release page (relative to the site's root). */
  releases: VersionLink[];
  reportHref: string;
  /** The outcome's stderr log, relative to the site's root; null when no process ran. */
  logHref: string | null;
  outcome: SiteOutcome;
}

const linkFrom = (outDir: string, target: string) => path.relative(outDir, target).split(path.sep).join('/');

/** Every outcome of every run, oldest run first. */
export function occurrencesOf(runs: SiteRun[], outDir: string): Occurrence[] {
  const all: Occurrence[] = [];
  for (const run of runs) {
    // One path.relative per run: per outcome it cost more than the rest of the model.
    const runHref = linkFrom(outDir, run.dir);
    const reportHref = `${runHref}/report/index.html`;
    const versions = versionsText(run.fingerprint);
    const releases = versionLinks(run.fingerprint);
    const dayText = run.startedAt.slice(0, 16).replace('T', ' ');
    const system = runTitle(run);
    for (const outcome of run.outcomes) {
      all.push({
        runId: run.runId,
        date: run.startedAt,
        dayText,
        seconds: outcome.durationS.toFixed(1),
        tier: run.fingerprint.tier,
        target: run.target,
        system,
        fingerprint: run.fingerprint,
        versions,
        releases,
        reportHref,
        logHref: outcome.started ? `${runHref}/${outcome.logs.stderr.split(path.sep).join('/')}` : null,
        outcome,
      });
    }
  }
  return all;
}
