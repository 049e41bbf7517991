import path from 'node:path';
import type { LoadedCatalog } from '../classify/catalog.js';
import { detect } from '../device/detect.js';
import { TtprobeError } from '../errors.js';
import { runMatrix } from '../run/orchestrate/run-matrix.js';
import type { Target } from '../schemas/manifest.js';
import type { Outcome } from '../schemas/outcome.js';
import { versionVerdict, type VersionVerdict } from './bisect.js';
import { detectMock } from '../mock/detect-mock.js';
import type { LoadedMock } from '../mock/descriptor.js';

export interface VersionRunOptions {
  probe: string;
  probesDir: string;
  /** The bisect's folder; each version's runs go to a folder named after it. */
  bisectDir: string;
  python: string;
  version: string;
  repeat: number;
  catalog: LoadedCatalog;
  target?: Target;
  size?: 'tiny' | 'full';
  devices?: number;
  snapshot?: string;
  /** A mock system: each version compiles for it, no device is touched. */
  mock?: LoadedMock | null;
  waitLockSeconds?: number;
  signal?: AbortSignal;
}

/**
 * Runs the probe `repeat` times with the version's interpreter through the normal runner, so each
 * try is an ordinary run directory, classified and recorded like any other.
 */
export async function runVersion(opts: VersionRunOptions): Promise<VersionVerdict> {
  // Detected with the version's interpreter, so each record's fingerprint names the tested versions.
  const device = opts.mock ? await detectMock(opts.mock, { python: opts.python }) : await detect({ snapshotFile: opts.snapshot, python: opts.python });
  const outcomes: Outcome[] = [];
  const runDirs: string[] = [];
  for (let i = 0; i < opts.repeat; i++) {
    const { runDir, record } = await runMatrix({
      probesDir: opts.probesDir,
      runsDir: path.join(opts.bisectDir, opts.version.replace(/[^A-Za-z0-9._+-]/g, '_')),
      python: opts.python,
      device,
      catalog: opts.catalog,
      target: opts.target,
      size: opts.size,
      devices: opts.devices,
      filters: { probe: [opts.probe], stack: [], tag: [] },
      waitLockSeconds: opts.waitLockSeconds,
      signal: opts.signal,
    });
    if (record.state === 'interrupted') throw new TtprobeError('interrupted', 'bisect interrupted');
    outcomes.push(record.outcomes[0]!);
    runDirs.push(runDir);
  }
  return versionVerdict(opts.version, outcomes, runDirs);
}
