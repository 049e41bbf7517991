import path from 'node:path';
import { loadCatalog } from '../classify/catalog.js';
import { detectUnderLock } from '../run/locks/detect-under-lock.js';
import { runMatrix } from '../run/orchestrate/run-matrix.js';
import { plainProgress, ttyProgress } from '../run/orchestrate/progress.js';
import { parseShard, selectProbes } from '../run/orchestrate/select.js';
import { loadProbes } from '../probes/load.js';
import { TtprobeError } from '../errors.js';
import { DEFAULT_PROBES_DIR, DEFAULT_RUNS_DIR } from '../paths.js';
import { loadConfig } from '../config/load-config.js';
import { resolveStacks } from '../config/stack-settings.js';
import type { Target } from '../schemas/manifest.js';
import type { RunRecord } from '../schemas/run-record.js';
import { Status } from '../schemas/outcome.js';
import { loadBaseline } from '../compare/load-baseline.js';
import { formatBaselineSummary } from '../compare/format-baseline.js';
import { brokenAgainstRuns } from '../compare/environment-health.js';
import { earlierRunsOf } from '../compare/earlier-runs.js';
import { brokenLine } from '../compare/format.js';
import type { BrokenEnvironment } from '../schemas/broken-environment.js';
import { requireFolderPath } from './input-paths.js';
import { resolveMock } from '../mock/descriptor.js';
import { detectMock } from '../mock/detect-mock.js';
import { isMockTier } from '../schemas/device.js';
import { loadKnownFlakes } from '../flakes/known-flakes.js';

export interface RunFlags {
  target?: string;
  size?: string;
  devices?: string;
  probe: string[];
  stack: string[];
  tag: string[];
  shard?: string;
  jobs?: string;
  probesDir?: string;
  runsDir?: string;
  python?: string[];
  config?: string;
  snapshot?: string;
  catalog?: string;
  waitLock?: string;
  resume?: string;
  report?: boolean;
  retries?: string;
  baseline?: string;
  /** A mock system: a tier name or a tt-umd cluster descriptor file. */
  mock?: string;
  flakes?: string;
}

function positiveInt(text: string | undefined, flag: string, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new TtprobeError('usage', `${flag} must be a whole number >= ${min}, got '${text}'`);
  return n;
}

export function summarise(record: RunRecord): string {
  const counts = Status.options
    .map((status) => [status, record.outcomes.filter((o) => o.status === status).length] as const)
    .filter(([, n]) => n > 0);
  return counts.map(([s, n]) => `${n} ${s}`).join(', ') || 'no outcomes';
}

export interface RunCommandResult {
  record: RunRecord;
  /** Without --baseline: stacks that ran in an earlier run of this tier and were stopped by their environment in this one. */
  brokenSincePrevious: BrokenEnvironment[];
}

export async function runCommand(flags: RunFlags, out: (s: string) => void, signal?: AbortSignal, killSignal?: AbortSignal): Promise<RunCommandResult> {
  const target = flags.target as Target | undefined;
  if (target && !['tt', 'gpu', 'cpu'].includes(target)) {
    throw new TtprobeError('usage', `--target must be tt, gpu or cpu, got '${flags.target}'`);
  }
  if (flags.size && !['tiny', 'full'].includes(flags.size)) {
    throw new TtprobeError('usage', `--size must be tiny or full, got '${flags.size}'`);
  }
  // A mock run is a TT run on no device: another target, or a snapshot of real boards, contradicts it.
  if (flags.mock !== undefined && target && target !== 'tt') throw new TtprobeError('usage', `--mock targets a mock Tenstorrent system; it cannot be combined with --target ${target}`);
  if (flags.mock !== undefined && flags.snapshot) throw new TtprobeError('usage', '--mock and --snapshot cannot be combined: a mock system is described by its cluster descriptor, not by a tt-smi snapshot');
  const mock = flags.mock !== undefined ? await resolveMock(flags.mock) : null;
  if (!flags.resume) await requireFolderPath(flags.runsDir ?? DEFAULT_RUNS_DIR, '--runs-dir');
  const config = await loadConfig(flags.config);
  const { stacks, python } = resolveStacks(config, flags.python);
  const catalog = await loadCatalog(flags.catalog);
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  // Filters are checked before detection opens a device or a run directory exists (runMatrix checks again, for library callers).
  const probes = await loadProbes(flags.probesDir ?? DEFAULT_PROBES_DIR);
  if (!flags.resume) selectProbes(probes, { probe: flags.probe, stack: flags.stack, tag: flags.tag });
  const baseline = flags.baseline ? await loadBaseline(flags.baseline) : undefined;
  // A mock's expectations are compiles, hardware's are computed results: one never judges the other.
  if (baseline?.tier && isMockTier(baseline.tier) !== (mock !== null)) {
    throw new TtprobeError('usage', `--baseline ${flags.baseline} was taken on ${baseline.tier}; a ${mock ? 'mock' : 'hardware or CPU'} run cannot be judged against a ${mock ? 'hardware' : 'mock'} system's outcomes`, { file: flags.baseline });
  }
  const flakes = flags.flakes ? await loadKnownFlakes(flags.flakes) : undefined;
  const numbers = {
    // --devices, else the config's devices, else $TTPROBE_DEVICES, else 1.
    devices: positiveInt(flags.devices ?? config.config.devices?.toString() ?? process.env.TTPROBE_DEVICES, '--devices', 1),
    jobs: positiveInt(flags.jobs, '--jobs', 1),
    waitLockSeconds: positiveInt(flags.waitLock, '--wait-lock', 0, 0),
    retries: positiveInt(flags.retries, '--retries', 0, 0),
  };
  const progress = process.stderr.isTTY && !process.env.CI ? ttyProgress(process.stderr) : plainProgress((s) => process.stderr.write(s));
  // Every device this run may use is locked before detection opens it, and stays locked for its probes.
  // A mock touches no device and takes no lock.
  const { device, lock } = mock ? { device: await detectMock(mock, { python, stacks }), lock: null } : await detectUnderLock({
    snapshotFile: flags.snapshot,
    python,
    stacks,
    waitSeconds: numbers.waitLockSeconds,
    onWait: (holder) => progress.message?.(`waiting for the device lock held by ${holder}`),
  });
  if (device.target !== (target ?? device.target)) progress.message?.(`target ${target} requested; detected ${device.target}`);
  for (const note of device.notes) progress.message?.(note);

  const { runDir, record } = await runMatrix({
    probesDir: flags.probesDir ?? DEFAULT_PROBES_DIR,
    probes,
    runsDir: flags.runsDir ?? DEFAULT_RUNS_DIR,
    python,
    stacks,
    timeouts: config.config.timeouts,
    configFile: config.file,
    device,
    catalog,
    target: mock ? 'tt' : target,
    size: flags.size as 'tiny' | 'full' | undefined,
    ...numbers,
    filters: { probe: flags.probe, stack: flags.stack, tag: flags.tag },
    shard,
    progress,
    signal,
    killSignal,
    resumeDir: flags.resume,
    baseline,
    flakes,
    deviceLock: lock,
  }).finally(() => lock?.release());
  out(`run ${record.state}: ${summarise(record)}\n`);
  if (record.baseline) out(formatBaselineSummary(record.baseline));
  // Without a baseline, the earlier runs of this tier are the reference: a stack that ran there and is stopped by its environment on every probe tonight is news.
  const brokenSincePrevious = record.baseline ? [] : brokenAgainstRuns(record, await earlierRunsOf(runDir, record.fingerprint.tier));
  for (const e of brokenSincePrevious) out(`broken environment: ${brokenLine(e)}\n`);
  out(`run record: ${path.join(runDir, 'run.json')}\n`);
  if (flags.report !== false) {
    // Loaded here, not at start: the report's templates and JUnit writer are a tenth of a second of loading.
    const { writeReports } = await import('../report/write-reports.js');
    const written = await writeReports(runDir, record, { formats: ['html', 'md', 'json', 'junit'] });
    out(`report: ${written.find((f) => f.endsWith('.html')) ?? written[0]}\n`);
  }
  return { record, brokenSincePrevious };
}
