import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceReport } from '../../schemas/device.js';
import type { LoadedProbe, Target } from '../../schemas/manifest.js';
import type { Outcome } from '../../schemas/outcome.js';
import type { RunRecord } from '../../schemas/run-record.js';
import type { LoadedCatalog } from '../../classify/catalog.js';
import { TtprobeError, invalidInput } from '../../errors.js';
import type { Baseline } from '../../schemas/baseline.js';
import { applyBaseline } from '../../compare/baseline.js';
import { JournalWriter, TORN_TAIL, cutTornTail, readJournal } from '../../record/journal.js';
import { RUN_KEY, createRunKey, readRunKey } from '../../record/run-key.js';
import { probeDir } from '../../record/paths.js';
import { RunDirGuard } from '../safety/run-dir-guard.js';
import { guardCutShort, guardNotes } from '../safety/guard-notes.js';
import { readRunRecord, writeRunRecord } from '../../record/run-record.js';
import { loadProbes } from '../../probes/load.js';
import { acquireDeviceLock, defaultLockDir, type DeviceLock } from '../locks/device-lock.js';
import { GPU_DEVICE, devicesOfReport } from '../locks/device-set.js';
import { endOrphanedProbes } from '../safety/orphans.js';
import { planRun, stackRunSettings } from './plan.js';
import { requireInterpreters } from '../../environment/interpreters.js';
import { applyTimeouts, plannedTimeouts, settingsChanges } from './run-settings.js';
import { settingsFor, type StackSettings } from '../../config/stack-settings.js';
import { acquireRunLock } from '../locks/run-lock.js';
import { endOnLockLoss } from '../locks/lock-loss.js';
import { preflight } from './preflight.js';
import type { ProgressSink } from './progress.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { judge, runAndSettle, type RunOneContext, type SettledProbe } from './run-one.js';
import { latestOpEvidence, opEvidenceOf } from '../../classify/op-evidence.js';
import { earlierRunsOf } from '../../compare/earlier-runs.js';
import { predictWithEvidence } from '../../classify/predictions.js';
import { tierTitle } from '../../site/naming.js';
import { setAsideUnfinished } from './set-aside.js';
import { selectProbes, type Filters, type Shard } from './select.js';
import { flakeNote, type KnownFlakeSet } from '../../flakes/known-flakes.js';

export { fingerprintOf } from './plan.js';

export interface RunMatrixOptions {
  probesDir: string;
  /** The probes of `probesDir` when the caller has loaded them already (else they are loaded here). */
  probes?: LoadedProbe[];
  runsDir: string;
  /** The interpreter of every stack `stacks` does not name. */
  python: string;
  /** Per-stack interpreter, TT_METAL_HOME and extra environment (the config file, --python STACK=PATH). */
  stacks?: Partial<StackSettings>;
  /** Seconds per probe id, over the manifests' timeoutSeconds. */
  timeouts?: Record<string, number>;
  /** The config file these settings came from, kept in the record. */
  configFile?: string | null;
  device: DeviceReport;
  catalog: LoadedCatalog;
  target?: Target;
  size?: 'tiny' | 'full';
  devices?: number;
  filters?: Filters;
  shard?: Shard;
  jobs?: number;
  graceSeconds?: number;
  waitLockSeconds?: number;
  lockDir?: string;
  env?: NodeJS.ProcessEnv;
  progress?: ProgressSink;
  signal?: AbortSignal;
  /** Aborting kills the running probes' groups at once (a second Ctrl-C); `signal` should be aborted too. */
  killSignal?: AbortSignal;
  /** Finish the run in this directory instead of starting a new one. */
  resumeDir?: string;
  /** Re-run a failing probe up to this many times; a later pass marks it flaky. */
  retries?: number;
  /** Expected outcomes: the record then separates expected from unexpected failures. */
  baseline?: Baseline;
  /** Known flakes (--flakes): retried at least their own count, and their outcomes say so. */
  flakes?: KnownFlakeSet;
  /** The device locks detection took (see detectUnderLock); the caller releases them. */
  deviceLock?: DeviceLock | null;
}

export interface RunMatrixResult {
  runDir: string;
  record: RunRecord;
}

/** Outcomes worth another try under --retries: a deterministic skip or CPU fallback is not. */
const RETRYABLE = new Set(['fail', 'crash', 'timeout']);

/**
 * Runs `task` on every item with at most `limit` probe processes at once. A probe holds its place only
 * while its process runs and the runner settles its folder; judging it (classifying its logs) and
 * journalling the outcome happen while the next one runs. One more task than `limit` is in flight so
 * that there is always a next one ready.
 */
async function pool<T>(items: T[], limit: number, task: (item: T, processes: LimitFunction) => Promise<void>): Promise<void> {
  const processes = pLimit(Math.max(1, limit));
  const tasks = pLimit(Math.max(1, limit) + 1);
  // After a failure nothing new starts: the caller is already unwinding the run.
  let failed = false;
  await Promise.all(
    items.map((item) =>
      tasks(async () => {
        if (failed) return;
        await task(item, processes).catch((err: unknown) => {
          failed = true;
          throw err;
        });
      }),
    ),
  );
}

export async function runMatrix(given: RunMatrixOptions): Promise<RunMatrixResult> {
  const lockLoss = endOnLockLoss(given.signal, (line) => given.progress?.message?.(line));
  const opts = { ...given, signal: lockLoss.signal, watchLock: lockLoss.watch };
  const stacks = settingsFor(opts.python, opts.stacks);
  const baseEnv = opts.env ?? process.env;
  const timeouts = opts.timeouts ?? {};
  const { probes: all, unknown } = applyTimeouts(opts.probes ?? (await loadProbes(opts.probesDir)), timeouts);
  if (unknown.length) opts.progress?.message?.(`timeouts name probe(s) not in ${opts.probesDir}: ${unknown.join(', ')}`);
  // The interpreters of the stacks that will run are checked before anything is written or run.
  const stacksOf = (probes: LoadedProbe[]) => [...new Set(probes.map((p) => p.stack))];
  if (opts.resumeDir) {
    const runDir = path.resolve(opts.resumeDir);
    // Nothing in the run directory is read or touched before its lock is ours: a live runner owns it.
    await readRunRecord(runDir);
    const runLock = await acquireRunLock(runDir);
    opts.watchLock(runLock.lost);
    try {
      const record = await readRunRecord(runDir);
      if (record.state === 'complete') {
        // Killed after the record said complete but before the report: the caller writes it again.
        opts.progress?.message?.(`run ${runDir} is already complete; nothing was run again`);
        return { runDir, record };
      }
      const changes = settingsChanges(
        // Records of older versions kept every timeout of the config: only the planned probes' count.
        { ...record.options, timeouts: plannedTimeouts(record.options.timeouts, record.planned) },
        { stacks: stackRunSettings(stacks, baseEnv), timeouts: plannedTimeouts(timeouts, record.planned) },
      );
      if (changes.length) {
        throw new TtprobeError('usage', `cannot resume ${runDir} with other settings than it started with (${changes.join('; ')}): give the same --config and --python`);
      }
      const torn = await cutTornTail(runDir);
      if (torn) opts.progress?.message?.(`journal.jsonl ended in a torn line (${torn} bytes); kept in ${TORN_TAIL} and cut off`);
      const journal = await readJournal(runDir);
      // Its genuine lines cannot be told from forged ones any more: neither trusted nor dropped.
      if (journal.keyLost) throw invalidInput(path.join(runDir, RUN_KEY), '', `missing, but ${path.join(runDir, 'journal.jsonl')} holds signed lines: without the key no line can be verified; nothing was resumed`);
      if (journal.repeatedLines) opts.progress?.message?.(`journal.jsonl: ignored ${journal.repeatedLines} repeated line(s) for probes already counted`);
      if (journal.unsignedLines) opts.progress?.message?.(`journal.jsonl: ignored ${journal.unsignedLines} line(s) the runner did not write`);
      const done = new Set(journal.outcomes.map((o) => o.probe));
      const byId = new Map(all.map((p) => [p.id, p]));
      const lost = record.planned.filter((id) => !byId.has(id));
      if (lost.length) throw new TtprobeError('usage', `cannot resume: probe(s) ${lost.join(', ')} no longer exist in ${opts.probesDir}`);
      const toRun = record.planned.filter((id) => !done.has(id)).map((id) => byId.get(id)!);
      await requireInterpreters(stacksOf(toRun), stacks, baseEnv, opts.device);
      const orphans = await endOrphanedProbes(runDir);
      for (const orphan of orphans.ended) opts.progress?.message?.(`ended the orphaned probe ${orphan} of the killed run`);
      for (const note of orphans.leftAlone) opts.progress?.message?.(note);
      const setAside = await setAsideUnfinished(runDir, toRun.map((p) => p.id), done);
      for (const note of [...setAside.values()].flat()) opts.progress?.message?.(note);
      const key = (await readRunKey(runDir)) ?? (await createRunKey(runDir));
      // Rewritten from what was verified: the lines of an older ttprobe get signed, unsigned ones go.
      const writer = await JournalWriter.open(runDir, key, journal.outcomes);
      return await underDeviceLock(opts, runDir, record, toRun, () => execute(opts, stacks, runDir, record, toRun, writer, setAside));
    } finally {
      await runLock.release();
    }
  }
  const toRun = selectProbes(all, opts.filters ?? { probe: [], stack: [], tag: [] }, opts.shard);
  await requireInterpreters(stacksOf(toRun), stacks, baseEnv, opts.device);
  const { runDir, record } = planRun({ ...opts, stacks, env: baseEnv, timeouts, catalogVersion: opts.catalog.version }, toRun);
  // The device lock comes first: a run refused for a busy device leaves no run directory behind.
  return underDeviceLock(opts, runDir, record, toRun, async () => {
    await mkdir(runDir, { recursive: true });
    const runLock = await acquireRunLock(runDir);
    opts.watchLock(runLock.lost);
    try {
      await writeRunRecord(runDir, record);
      const writer = await JournalWriter.open(runDir, await createRunKey(runDir));
      return await execute(opts, stacks, runDir, record, toRun, writer);
    } finally {
      await runLock.release();
    }
  });
}

/**
 * Runs `body` holding the locks of the devices its probes use: those detection already holds, or
 * (called as a library, or for a GPU) the ones the device report names. A run that uses no device
 * gives back what detection held, so other runs can have it.
 */
async function underDeviceLock<T>(opts: RunMatrixOptions & { watchLock: (lost: AbortSignal) => void }, runDir: string, record: RunRecord, toRun: LoadedProbe[], body: () => Promise<T>): Promise<T> {
  const { target } = record.options;
  const held = opts.deviceLock ?? null;
  // A mock system touches no device: nothing to lock.
  if (target === 'cpu' || record.device.mock || !toRun.some((p) => p.needsDevice)) {
    await held?.release();
    return body();
  }
  if (held && target !== 'tt') await held.release();
  const lock =
    held && target === 'tt'
      ? held
      : await acquireDeviceLock({
          devices: target === 'tt' ? devicesOfReport(record.device) : [GPU_DEVICE],
          lockDir: opts.lockDir ?? defaultLockDir(),
          waitSeconds: opts.waitLockSeconds ?? 0,
          doing: `run ${runDir}`,
          onWait: (holder) => opts.progress?.message?.(`waiting for the device lock held by ${holder}`),
        });
  await lock.setRunDir(runDir);
  opts.watchLock(lock.lost);
  record.lockedDevices = lock.devices;
  try {
    return await body();
  } finally {
    if (lock !== held) await lock.release();
  }
}

/** Runs `toRun` into an existing run directory and writes the final record. */
async function execute(
  opts: RunMatrixOptions,
  stacks: StackSettings,
  runDir: string,
  record: RunRecord,
  toRun: LoadedProbe[],
  journal: JournalWriter,
  /** Notes a probe's outcome carries from before it ran (its interrupted folder set aside by --resume). */
  earlierNotes = new Map<string, string[]>(),
): Promise<RunMatrixResult> {
  const started = performance.now();
  const { target, size, devices } = record.options;
  const baseEnv = opts.env ?? process.env;
  const progress = opts.progress ?? {};
  const total = record.planned.length;
  // A probe keeps one number on every line it prints: the one it started with, or for a skip decided
  // before anything starts, the one it is recorded with. Parallel probes end out of order.
  let lastNumber = total - toRun.length;
  const numbers = new Map<string, number>();
  const numberOf = (id: string) => numbers.get(id) ?? (numbers.set(id, ++lastNumber), lastNumber);
  progress.runStarted?.({ runDir, total, target, tier: record.device.tier });

  const ctx: RunOneContext = {
    runDir,
    stacks,
    probeLibDir: path.join(path.resolve(record.options.probesDir), 'lib'),
    target,
    tier: record.device.tier,
    mock: record.device.mock ?? null,
    devices,
    size,
    graceSeconds: opts.graceSeconds ?? 5,
    baseEnv,
    catalog: opts.catalog,
    signal: opts.signal,
    killSignal: opts.killSignal,
  };

  // Journal writes and run-directory checks take turns, so a check never sees the runner's own write.
  let turn = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const done = turn.then(task);
    turn = done.then(() => undefined, () => undefined);
    return done;
  };
  const guard = new RunDirGuard(runDir);
  for (const folder of guard.start()) progress.message?.(guardCutShort(folder));
  const finish = (ran: Outcome) =>
    inTurn(async () => {
      const outcome = { ...ran, notes: [...(earlierNotes.get(ran.probe) ?? []), ...ran.notes] };
      await journal.append(outcome);
      progress.probeFinished?.(outcome, numberOf(outcome.probe), total);
    });
  /**
   * Runs one attempt and notes what changed in the run directory outside its folder meanwhile. The
   * guard's check is made before the next probe may start, so whatever changed was this probe's doing.
   */
  const attemptGuarded = async (probe: LoadedProbe, attempt: number, processes: LimitFunction) => {
    const folder = probeDir(runDir, probe.id, attempt);
    const settled = await processes(async () => {
      // Stopped while it waited for its turn: never started, re-run on resume.
      if (opts.signal?.aborted) return null;
      if (attempt === 1) progress.probeStarted?.(probe.id, numberOf(probe.id), total);
      guard.begin(folder);
      let done: SettledProbe | null = null;
      try {
        done = await runAndSettle(probe, ctx, attempt);
      } finally {
        const notes = await inTurn(async () => {
          const journalTouched = await journal.restore();
          return [
            ...(journalTouched ? [`while it ran, the runner's journal was changed by someone else: ${path.join(runDir, 'journal.jsonl')} (restored)`] : []),
            ...guardNotes(guard.end(folder)),
          ];
        });
        done?.notes.push(...notes);
      }
      return done;
    });
    if (!settled) return null;
    // Judged once the next probe has had its turn to start: judging is work on this same thread.
    await new Promise((resolve) => setImmediate(resolve));
    return judge(settled);
  };

  const { runnable, skipped } = await preflight(toRun, ctx);
  for (const outcome of skipped) await finish(outcome);

  // On a mock system no probe holds a device: all of them may share --jobs.
  const deviceBound = record.device.mock ? [] : runnable.filter((p) => p.needsDevice);
  const free = runnable.filter((p) => !deviceBound.includes(p));
  const runAndRecord = async (probe: LoadedProbe, processes: LimitFunction) => {
    if (opts.signal?.aborted) return;
    const flake = opts.flakes?.match(probe.id, record.device.tier) ?? null;
    const retries = Math.max(record.options.retries, flake?.retries ?? 0);
    const flakeNotes = flake ? [flakeNote(flake)] : [];
    const attempts: Outcome['attempts'] = [];
    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptGuarded(probe, attempt, processes);
      if (!outcome) return;
      const retry = RETRYABLE.has(outcome.status) && attempt <= retries && !opts.signal?.aborted;
      if (!retry) {
        await finish({ ...outcome, attempts, notes: [...flakeNotes, ...outcome.notes] });
        return;
      }
      const { status, category, ruleId, signature, reason, durationS } = outcome;
      attempts.push({ attempt, status, category, ruleId, signature, reason, durationS });
      progress.message?.(`${probe.id}: attempt ${attempt} ended ${status}; retrying`);
    }
  };
  try {
    // Device-bound probes take turns on the device, one process at a time.
    await Promise.all([pool(deviceBound, 1, runAndRecord), pool(free, opts.jobs ?? 1, runAndRecord)]);
  } finally {
    guard.close();
  }

  // What the runner itself wrote, never the file read back: nobody else's lines can count.
  await journal.close();
  // Predictions made before the run's op-coverage finished are made again from what it proved, or
  // from what an earlier run of this system proved with the same plugin.
  const system = tierTitle(record.fingerprint.tier);
  const predicting = record.options.target === 'tt' && journal.outcomes.some((o) => o.stack === 'tt-xla' && Object.keys(o.result?.census ?? {}).length > 0);
  const evidence = opEvidenceOf(journal.outcomes, system)
    ?? (predicting ? latestOpEvidence(await earlierRunsOf(runDir, record.fingerprint.tier), record.fingerprint.plugin, system) : null);
  const outcomes = predictWithEvidence([...journal.outcomes], opts.catalog, evidence);
  const order = new Map(record.planned.map((id, i) => [id, i]));
  outcomes.sort((a, b) => (order.get(a.probe) ?? 0) - (order.get(b.probe) ?? 0));
  const complete = outcomes.length >= record.planned.length && !opts.signal?.aborted;
  const finishedAt = new Date();
  const finalRecord: RunRecord = {
    ...record,
    state: complete ? 'complete' : 'interrupted',
    finishedAt: finishedAt.toISOString(),
    durationS: Number(((record.durationS ?? 0) + (performance.now() - started) / 1000).toFixed(3)),
    outcomes,
  };
  if (opts.baseline) finalRecord.baseline = applyBaseline(finalRecord, opts.baseline);
  await writeRunRecord(runDir, finalRecord);
  progress.close?.();
  return { runDir, record: finalRecord };
}
