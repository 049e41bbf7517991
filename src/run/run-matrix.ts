import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceReport } from '../schemas/device.js';
import type { LoadedProbe, Target } from '../schemas/manifest.js';
import type { Outcome } from '../schemas/outcome.js';
import { RUN_SCHEMA_VERSION, type Fingerprint, type RunOptions, type RunRecord } from '../schemas/run-record.js';
import type { LoadedCatalog } from '../classify/catalog.js';
import { TtprobeError } from '../errors.js';
import type { Baseline } from '../schemas/baseline.js';
import { applyBaseline } from '../compare/baseline.js';
import { appendOutcome, readJournal } from '../record/journal.js';
import { newRunId } from '../record/paths.js';
import { readRunRecord, writeRunRecord } from '../record/run-record.js';
import { loadProbes } from '../probes/load.js';
import { TOOL_VERSION } from '../version.js';
import { acquireDeviceLock, defaultLockDir } from './device-lock.js';
import { missingEnv, probeEnv } from './env-profile.js';
import { missingModules } from './module-check.js';
import type { ProgressSink } from './progress.js';
import { PGID_FILE, runOne, skippedOutcome, type RunOneContext } from './run-one.js';
import { selectProbes, type Filters, type Shard } from './select.js';

export interface RunMatrixOptions {
  probesDir: string;
  runsDir: string;
  python: string;
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
  /** Finish the run in this directory instead of starting a new one. */
  resumeDir?: string;
  /** Re-run a failing probe up to this many times; a later pass marks it flaky. */
  retries?: number;
  /** Expected outcomes: the record then separates expected from unexpected failures. */
  baseline?: Baseline;
}

export interface RunMatrixResult {
  runDir: string;
  record: RunRecord;
}

export function fingerprintOf(device: DeviceReport): Fingerprint {
  const xla = device.stacks['tt-xla'].versions;
  return {
    tier: device.tier,
    firmwareBundle: device.firmwareBundle,
    kmd: device.kmd,
    jax: xla.jax ?? null,
    jaxlib: xla.jaxlib ?? null,
    plugin: xla['pjrt-plugin-tt'] ?? null,
    ttMetal: device.stacks['tt-metal'].versions['tt-metal'] ?? null,
    host: device.host.Hostname ?? 'unknown',
  };
}

/** Outcomes worth another try under --retries: a deterministic skip or CPU fallback is not. */
const RETRYABLE = new Set(['fail', 'crash', 'timeout']);

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}

async function startRecord(opts: RunMatrixOptions, selected: LoadedProbe[]): Promise<{ runDir: string; record: RunRecord }> {
  const target = opts.target ?? opts.device.target;
  const now = new Date();
  const runDir = path.resolve(opts.runsDir, newRunId(now, opts.device.tier));
  await mkdir(runDir, { recursive: true });
  const options: RunOptions = {
    target,
    size: opts.size ?? 'tiny',
    devices: opts.devices ?? 1,
    filters: opts.filters ?? { probe: [], stack: [], tag: [] },
    probesDir: path.resolve(opts.probesDir),
    python: opts.python,
    retries: opts.retries ?? 0,
  };
  const record: RunRecord = {
    schemaVersion: RUN_SCHEMA_VERSION,
    tool: { name: 'ttprobe', version: TOOL_VERSION },
    runId: path.basename(runDir),
    state: 'running',
    startedAt: now.toISOString(),
    finishedAt: null,
    durationS: null,
    options,
    device: opts.device,
    fingerprint: fingerprintOf(opts.device),
    catalogVersion: opts.catalog.version,
    planned: selected.map((p) => p.id),
    outcomes: [],
    baseline: null,
    mergedFrom: [],
  };
  await writeRunRecord(runDir, record);
  return { runDir, record };
}

/** A runner killed mid-probe (SIGKILL, power loss) leaves that probe's process group running: end it. */
async function endOrphanedProbes(runDir: string): Promise<string[]> {
  const ended: string[] = [];
  const probesDir = path.join(runDir, 'probes');
  for (const dir of await readdir(probesDir).catch(() => [] as string[])) {
    const file = path.join(probesDir, dir, PGID_FILE);
    const pgid = Number(await readFile(file, 'utf8').catch(() => ''));
    if (pgid > 1) {
      try {
        process.kill(-pgid, 'SIGKILL');
        ended.push(`${dir} (process group ${pgid})`);
      } catch {
        // Already gone.
      }
    }
    await rm(file, { force: true });
  }
  return ended;
}

export async function runMatrix(opts: RunMatrixOptions): Promise<RunMatrixResult> {
  const all = await loadProbes(opts.probesDir);
  let runDir: string;
  let record: RunRecord;
  let toRun: LoadedProbe[];
  if (opts.resumeDir) {
    runDir = path.resolve(opts.resumeDir);
    record = await readRunRecord(runDir);
    if (record.state === 'complete') throw new TtprobeError('usage', `run ${runDir} is already complete; nothing to resume`);
    const done = new Set((await readJournal(runDir)).outcomes.map((o) => o.probe));
    const byId = new Map(all.map((p) => [p.id, p]));
    const lost = record.planned.filter((id) => !byId.has(id));
    if (lost.length) throw new TtprobeError('usage', `cannot resume: probe(s) ${lost.join(', ')} no longer exist in ${opts.probesDir}`);
    toRun = record.planned.filter((id) => !done.has(id)).map((id) => byId.get(id)!);
    for (const orphan of await endOrphanedProbes(runDir)) opts.progress?.message?.(`ended the orphaned probe ${orphan} of the killed run`);
  } else {
    toRun = selectProbes(all, opts.filters ?? { probe: [], stack: [], tag: [] }, opts.shard);
    ({ runDir, record } = await startRecord(opts, toRun));
  }

  const started = performance.now();
  const { target, size, devices } = record.options;
  const baseEnv = opts.env ?? process.env;
  const progress = opts.progress ?? {};
  const total = record.planned.length;
  let finishedCount = total - toRun.length;
  progress.runStarted?.({ runDir, total, target, tier: record.device.tier });

  const ctx: RunOneContext = {
    runDir,
    python: opts.python,
    probeLibDir: path.join(path.resolve(record.options.probesDir), 'lib'),
    target,
    tier: record.device.tier,
    devices,
    size,
    graceSeconds: opts.graceSeconds ?? 5,
    baseEnv,
    catalog: opts.catalog,
    signal: opts.signal,
  };

  const finish = async (outcome: Outcome) => {
    await appendOutcome(runDir, outcome);
    progress.probeFinished?.(outcome, ++finishedCount, total);
  };

  const runnable: LoadedProbe[] = [];
  for (const stack of ['tt-xla', 'tt-metal'] as const) {
    const ofStack = toRun.filter((p) => p.stack === stack);
    if (!ofStack.length) continue;
    const env = probeEnv({ ...ctx, probe: ofStack[0]!, resultFile: '', outputDir: '', baseEnv });
    const modules = [...new Set(ofStack.flatMap((p) => p.requires.modules))];
    const { missing, error } = await missingModules(opts.python, modules, env);
    for (const probe of ofStack) {
      const lackingEnv = missingEnv(probe, env);
      const lackingModules = probe.requires.modules.filter((m) => missing.has(m));
      if (!lackingEnv.length && !lackingModules.length) {
        runnable.push(probe);
        continue;
      }
      const parts = [
        ...(lackingModules.length ? [`missing Python module(s): ${lackingModules.join(', ')}`] : []),
        ...(lackingEnv.length ? [`environment variable(s) not set: ${lackingEnv.join(', ')}`] : []),
      ];
      await finish(
        skippedOutcome(probe, ctx, {
          status: 'skip',
          category: lackingModules.length ? 'missing-dependency' : 'environment',
          layer: 'python-env',
          ruleId: null,
          reason: error ?? parts.join('; '),
          details: { ...(lackingModules.length ? { missing: lackingModules.join(', ') } : {}), ...(lackingEnv.length ? { env: lackingEnv.join(', ') } : {}) },
          evidence: [],
          signature: null,
        }),
      );
    }
  }

  const deviceBound = runnable.filter((p) => p.needsDevice);
  const free = runnable.filter((p) => !p.needsDevice);
  const release =
    target !== 'cpu' && deviceBound.length
      ? await acquireDeviceLock({
          key: `${target}-${record.device.tier}`,
          lockDir: opts.lockDir ?? defaultLockDir(),
          waitSeconds: opts.waitLockSeconds ?? 0,
          runDir,
          onWait: (holder) => progress.message?.(`waiting for the device lock held by ${holder}`),
        })
      : async () => undefined;

  let index = finishedCount;
  const runAndRecord = async (probe: LoadedProbe) => {
    if (opts.signal?.aborted) return;
    progress.probeStarted?.(probe.id, ++index, total);
    const attempts: Outcome['attempts'] = [];
    for (let attempt = 1; ; attempt++) {
      const outcome = await runOne(probe, ctx, attempt);
      if (!outcome) return;
      const retry = RETRYABLE.has(outcome.status) && attempt <= record.options.retries && !opts.signal?.aborted;
      if (!retry) {
        await finish({ ...outcome, attempts });
        return;
      }
      const { status, category, ruleId, signature, reason, durationS } = outcome;
      attempts.push({ attempt, status, category, ruleId, signature, reason, durationS });
      progress.message?.(`${probe.id}: attempt ${attempt} ended ${status}; retrying`);
    }
  };
  try {
    await Promise.all([
      (async () => {
        for (const probe of deviceBound) await runAndRecord(probe);
      })(),
      pool(free, opts.jobs ?? 1, runAndRecord),
    ]);
  } finally {
    await release();
  }

  const { outcomes } = await readJournal(runDir);
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
