import path from 'node:path';
import { loadCatalog } from '../classify/catalog.js';
import { ExitCode, TtprobeError } from '../errors.js';
import { DEFAULT_PROBES_DIR, defaultPython } from '../paths.js';
import { loadProbes } from '../probes/load.js';
import type { Target } from '../schemas/manifest.js';
import { bisect, SkipVersion, stepsFor, type VersionVerdict } from '../bisect/bisect.js';
import { describeSource, indexSource } from '../bisect/index-source.js';
import { runVersion } from '../bisect/run-version.js';
import { defaultVenvCache, InstallError, versionVenv } from '../bisect/venv.js';
import { listVersions, versionsBetween } from '../bisect/versions.js';
import { requireFolderPath } from './input-paths.js';
import { resolveMock } from '../mock/descriptor.js';

export const DEFAULT_BISECT_DIR = path.join('reports', 'bisect');

export interface BisectFlags {
  probe?: string;
  package?: string;
  good?: string;
  bad?: string;
  index?: string;
  repeat?: string;
  target?: string;
  size?: string;
  devices?: string;
  probesDir?: string;
  runsDir?: string;
  cacheDir?: string;
  python?: string;
  snapshot?: string;
  catalog?: string;
  waitLock?: string;
  mock?: string;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new TtprobeError('usage', `${flag} is required`, { field: flag });
  return value;
}

function wholeNumber(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new TtprobeError('usage', `${flag} must be a whole number >= ${min}, got '${text}'`, { field: flag });
  return n;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Exit codes as `compare`: 0 no change between good and bad, 1 a change found (or the good version is flaky), 2 bad usage. */
export async function bisectCommand(flags: BisectFlags, out: (s: string) => void, signal?: AbortSignal): Promise<number> {
  const probe = required(flags.probe, '--probe');
  const pkg = required(flags.package, '--package');
  const good = required(flags.good, '--good');
  const bad = required(flags.bad, '--bad');
  const repeat = wholeNumber(flags.repeat, '--repeat', 1, 1);
  const devices = flags.devices === undefined ? undefined : wholeNumber(flags.devices, '--devices', 1, 1);
  const waitLockSeconds = wholeNumber(flags.waitLock, '--wait-lock', 0, 0);
  if (flags.mock !== undefined && flags.target && flags.target !== 'tt') throw new TtprobeError('usage', `--mock targets a mock Tenstorrent system; it cannot be combined with --target ${flags.target}`);
  if (flags.mock !== undefined && flags.snapshot) throw new TtprobeError('usage', '--mock and --snapshot cannot be combined: a mock system is described by its cluster descriptor, not by a tt-smi snapshot');
  // Read once, before any venv is made: every version compiles for the same descriptor.
  const mock = flags.mock !== undefined ? await resolveMock(flags.mock) : null;
  const probesDir = flags.probesDir ?? DEFAULT_PROBES_DIR;
  if (!(await loadProbes(probesDir)).some((p) => p.id === probe)) {
    throw new TtprobeError('usage', `--probe ${probe}: no such probe in ${probesDir}`, { field: '--probe' });
  }
  const runsDir = flags.runsDir ?? DEFAULT_BISECT_DIR;
  await requireFolderPath(runsDir, '--runs-dir');
  const source = await indexSource(flags.index);
  const python = flags.python ?? defaultPython();
  const catalog = await loadCatalog(flags.catalog);
  const versions = versionsBetween(await listVersions(python, pkg, source), pkg, good, bad);
  const cacheDir = flags.cacheDir ?? defaultVenvCache();
  const bisectDir = path.resolve(runsDir, `${stamp()}-${probe}-${pkg.replace(/[^A-Za-z0-9._-]/g, '_')}`);

  out(`bisecting ${pkg} for probe ${probe}: ${versions.length} versions from ${versions[0]} (good) to ${versions.at(-1)} (bad) in ${describeSource(source)}; ` +
    `at most ${stepsFor(versions.length)} step(s) after the two ends, ${repeat} run(s) each\n`);
  out(`runs: ${bisectDir}\nvenvs: ${cacheDir}\n`);
  if (mock) out(`mock system: ${mock.system.tier} from ${mock.system.descriptor} (compile verdicts; nothing is computed)\n`);

  const ends = new Set([versions[0], versions.at(-1)]);
  const test = async (version: string): Promise<VersionVerdict> => {
    let venv;
    try {
      venv = await versionVenv({ basePython: python, pkg, version, source, cacheDir });
    } catch (err) {
      if (!(err instanceof InstallError)) throw err;
      // The ends decide the whole bisect; a middle version that cannot be installed is skipped.
      if (ends.has(version)) throw new TtprobeError('invalid-input', err.message, { field: version === versions[0] ? '--good' : '--bad' });
      throw new SkipVersion(err.message);
    }
    return runVersion({
      probe, probesDir, bisectDir, python: venv.python, version, repeat, catalog, signal, waitLockSeconds, devices,
      target: mock ? 'tt' : (flags.target as Target | undefined), size: flags.size as 'tiny' | 'full' | undefined, snapshot: flags.snapshot, mock,
    });
  };

  let step = 0;
  const result = await bisect(versions, test, {
    tested: (v, role, sameAsGood) => {
      const label = role === 'step' ? `step ${++step}: ${v.version}` : `${v.version} (${role})`;
      const verdictOf = sameAsGood === null ? '' : sameAsGood ? ' [same as good]' : ' [differs from good]';
      out(`${label}: ${v.text}${verdictOf}\n    ${v.runDirs.join('\n    ')}\n`);
    },
    skipped: (version, why) => out(`skipped ${version}: ${why}\n`),
  });

  switch (result.kind) {
    case 'good-flaky':
      out(`the good version ${result.good.version} is itself flaky over ${repeat} run(s): no stable verdict to bisect against\n`);
      return ExitCode.regressions;
    case 'no-change':
      out(`${result.bad.version} gives the same verdict as ${result.good.version}: nothing to bisect\n`);
      return ExitCode.ok;
    case 'culprit': {
      const { lastGood, culprit, skippedBetween } = result;
      out(`\nfirst version whose verdict differs from ${versions[0]}'s: ${culprit.version}\n`);
      out(`  ${lastGood.version}: ${lastGood.text}\n  ${culprit.version}: ${culprit.text}\n`);
      if (skippedBetween.length) out(`  (not installable, so untested, between them: ${skippedBetween.join(', ')}; the change is in one of those or in ${culprit.version})\n`);
      return ExitCode.regressions;
    }
  }
}
