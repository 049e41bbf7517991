import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedProbe, Target } from '../../schemas/manifest.js';
import type { MockSystem, Tier } from '../../schemas/device.js';
import type { Outcome, Verdict } from '../../schemas/outcome.js';
import type { LoadedCatalog } from '../../classify/catalog.js';
import { predictionsFor } from '../../classify/predictions.js';
import { classifyOpResults } from '../../classify/op-verdicts.js';
import { classify, NO_CLASSIFICATION } from '../../classify/classify.js';
import { decideVerdict } from '../../classify/verdict.js';
import { probeDir } from '../../record/paths.js';
import { probeEnv } from '../../environment/env-profile.js';
import { acquireTtXlaSlot } from '../../environment/tt-xla-slot.js';
import { identityOf } from '../safety/process-identity.js';
import { readResultFile } from '../probe-files/result-file.js';
import { BRINGUP_STAGE_FILE, STAGE_FILE, readBringupStage, readStageFile, writtenAt } from '../probe-files/stage-file.js';
import { staleMarker, stageReport, type StageFacts } from '../../classify/stage.js';
import type { ProbeResult } from '../../schemas/probe-result.js';
import type { Stage } from '../../schemas/stage.js';
import { notRegular, redactProbeFile } from '../probe-files/probe-file.js';
import { isRealFolder, keptArtifacts } from '../probe-files/artifacts.js';
import { runProcess, type ProcessFacts } from './run-probe.js';
import { secretsOf } from '../../environment/redact.js';
import { listWatched, strayWrites } from '../safety/stray-writes.js';
import type { LogLimits } from '../safety/capped-log.js';
import type { StackSettings } from '../../config/stack-settings.js';

export interface RunOneContext {
  runDir: string;
  /** Each stack's interpreter and environment. */
  stacks: StackSettings;
  probeLibDir: string;
  target: Target;
  tier: Tier;
  /** The mock system of a `--mock` run, else null. */
  mock: MockSystem | null;
  devices: number;
  size: 'tiny' | 'full';
  graceSeconds: number;
  baseEnv: NodeJS.ProcessEnv;
  catalog: LoadedCatalog;
  logLimits?: LogLimits;
  signal?: AbortSignal;
  killSignal?: AbortSignal;
}

export const PGID_FILE = 'inflight.pgid';

function resolveCommand(probe: LoadedProbe, python: string): string[] {
  return probe.command.map((arg, i) => {
    if (i === 0 && arg === 'python') return python;
    const local = path.join(probe.dir, arg);
    return i > 0 && !arg.startsWith('-') && existsSync(local) ? local : arg;
  });
}

function baseOutcome(probe: LoadedProbe, ctx: RunOneContext, attempt: number, dir: string) {
  return {
    probe: probe.id,
    title: probe.title,
    stack: probe.stack,
    workload: probe.workload,
    tags: probe.tags,
    target: ctx.target,
    attempt,
    logs: {
      stdout: path.relative(ctx.runDir, path.join(dir, 'stdout.log')),
      stderr: path.relative(ctx.runDir, path.join(dir, 'stderr.log')),
    },
    previousVerdicts: [],
    attempts: [],
  };
}

/** An outcome decided before any process started (a missing module or variable). */
export function skippedOutcome(probe: LoadedProbe, ctx: RunOneContext, verdict: Verdict): Outcome {
  const dir = probeDir(ctx.runDir, probe.id);
  return {
    ...baseOutcome(probe, ctx, 1, dir),
    ...verdict,
    startedAt: new Date().toISOString(),
    durationS: 0,
    exitCode: null,
    signal: null,
    result: null,
    resultProblem: null,
    started: false,
    notes: [],
    predicted: [],
    opVerdicts: [],
    stages: null,
  };
}

/** A probe whose process has ended and whose folder the runner is done with: what judging it needs. */
export interface SettledProbe {
  probe: LoadedProbe;
  ctx: RunOneContext;
  attempt: number;
  dir: string;
  outputDir: string;
  logFiles: { stdout: string; stderr: string };
  startedAt: string;
  facts: ProcessFacts;
  result: ProbeResult | null;
  problem: string | null;
  notes: string[];
  sequence: Stage[];
  stageFacts: Omit<StageFacts, 'status'>;
}

/** Runs one probe to an outcome; returns null when the run was aborted under it (it will be re-run on resume). */
export async function runOne(probe: LoadedProbe, ctx: RunOneContext, attempt = 1): Promise<Outcome | null> {
  const settled = await runAndSettle(probe, ctx, attempt);
  return settled && judge(settled);
}

/**
 * Runs the probe's process and does everything that touches its folder: the logs checked, its result,
 * stages and artifacts read, secrets redacted. Once this returns, nothing the runner does for this
 * probe needs the device or writes in its folder, so the next probe may start (see judge).
 * Null when the run was aborted under it.
 */
export async function runAndSettle(probe: LoadedProbe, ctx: RunOneContext, attempt = 1): Promise<SettledProbe | null> {
  const dir = probeDir(ctx.runDir, probe.id, attempt);
  const outputDir = path.join(dir, 'out');
  // Synchronous, here and below: each of these calls takes microseconds, and a trip through the
  // thread pool costs more than that while the next probe waits for this one's turn.
  const made = mkdirSync(outputDir, { recursive: true });
  const resultFile = path.join(dir, 'result.json');
  const stageFile = path.join(dir, STAGE_FILE);
  const bringupFile = path.join(outputDir, BRINGUP_STAGE_FILE);
  const logFiles = { stdout: path.join(dir, 'stdout.log'), stderr: path.join(dir, 'stderr.log') };
  // A folder re-run on resume must not lend this attempt the stages or result of the one the killed
  // runner left, nor a FIFO that attempt planted where the logs are opened.
  // (A folder this call made holds nothing yet.)
  const fresh = made !== undefined && path.relative(made, dir).split(path.sep)[0] !== '..';
  if (!fresh) for (const file of [stageFile, bringupFile, resultFile, logFiles.stdout, logFiles.stderr]) rmSync(file, { force: true });
  const startedAt = new Date().toISOString();
  const env = probeEnv({ probe, target: ctx.target, tier: ctx.tier, devices: ctx.devices, size: ctx.size,
    probeLibDir: ctx.probeLibDir, resultFile, stageFile, outputDir, baseEnv: ctx.baseEnv, stackSetting: ctx.stacks[probe.stack], mock: ctx.mock });
  // Temporary files stay in the probe's folder, so cleaning a run directory cleans everything; except
  // a TT-XLA probe on TT's, whose plugin's toolchain and kernels are kept in a slot of ttprobe's cache.
  env.TMPDIR = path.join(dir, 'tmp');
  mkdirSync(env.TMPDIR, { recursive: true });
  const slot = probe.stack === 'tt-xla' && ctx.target === 'tt' ? await acquireTtXlaSlot(ctx.baseEnv) : null;
  Object.assign(env, slot?.env);
  const watchedBefore = await listWatched(probe.dir);

  const facts = await runProcess({
    command: resolveCommand(probe, ctx.stacks[probe.stack].python),
    cwd: outputDir,
    env,
    timeoutSeconds: probe.timeoutSeconds,
    graceSeconds: ctx.graceSeconds,
    stdoutFile: logFiles.stdout,
    stderrFile: logFiles.stderr,
    logLimits: ctx.logLimits,
    signal: ctx.signal,
    killSignal: ctx.killSignal,
    // Left behind only if the runner dies mid-probe; resume then ends that process group.
    // The identity, not just the id: after a reboot or pid reuse the id may name anything.
    // The mark proves membership once the leader is gone.
    onSpawn: (pgid, mark) => writeFileSync(path.join(dir, PGID_FILE), JSON.stringify({ ...(identityOf(pgid) ?? { pid: pgid }), mark })),
  }).finally(() => slot?.release());
  rmSync(path.join(dir, PGID_FILE), { force: true });
  if (facts.aborted) return null;

  const secrets = secretsOf(env);
  // What the probe left, read all at once: these reads do not depend on each other.
  const [{ result, problem }, watchedAfter, stdoutWhy, stderrWhy, stageLines, outputIsFolder] = await Promise.all([
    readResultFile(resultFile, secrets),
    listWatched(probe.dir),
    notRegular(logFiles.stdout),
    notRegular(logFiles.stderr),
    // Read even when result.json is missing: a crash still leaves the stage it happened in.
    readStageFile(stageFile),
    isRealFolder(outputDir),
  ]);
  const notes: string[] = [];
  if (facts.spawnError) notes.push(`could not start: ${facts.spawnError}`);
  if (facts.strayProcesses) notes.push('processes the probe left behind were killed');
  if (facts.escaped.length) {
    const n = facts.escaped.length;
    const list = facts.escaped.map((e) => `pid ${e.pid} (${e.command})`).join(', ');
    notes.push(`ended ${n} process${n > 1 ? 'es' : ''} that had left the probe's process group: ${list}`);
  }
  for (const file of strayWrites(watchedBefore, watchedAfter)) {
    notes.push(`wrote outside its output folder: ${file}`);
  }
  if (facts.outputCutOff) notes.push('output was still held open after the probe exited, by a process outside its group that could not be found; stopped reading it');
  for (const [stream, bytes] of Object.entries(facts.truncatedBytes)) {
    if (bytes > 0) notes.push(`${stream} log capped: ${bytes} bytes cut from the middle`);
  }
  // The runner wrote the logs through descriptors it opened; a probe that swapped the names for FIFOs
  // kept that output from them, and later readers (classify, reclassify) must find regular files.
  for (const [stream, file, why] of [['stdout', logFiles.stdout, stdoutWhy], ['stderr', logFiles.stderr, stderrWhy]] as const) {
    if (!why) continue;
    notes.push(`${path.basename(file)} was replaced by ${why.replace(/^is /, '').replace(/; not (read|followed)$/, '')}; its output is lost`);
    await rm(file, { recursive: true, force: true });
    await writeFile(file, `[ttprobe: the probe replaced this ${stream} log; its output is lost]\n`, { flag: 'wx' });
  }
  // The bring-up file lies in the probe's output folder, which the probe may itself have swapped for a link.
  const [kept, bringup] = await Promise.all([
    result ? keptArtifacts(outputDir, result.artifacts) : null,
    outputIsFolder ? readBringupStage(bringupFile) : { marker: null, refused: 'was not read: the output folder was replaced by a link' },
  ]);
  if (result && kept) {
    result.artifacts = kept.artifacts;
    notes.push(...kept.notes);
  }

  const sequence = stageLines.sequence.length ? stageLines.sequence : result?.stages ?? [];
  if (stageLines.ignored) notes.push(`${STAGE_FILE}: ${stageLines.ignored} line(s) that name no stage were ignored`);
  if (stageLines.refused) notes.push(`${STAGE_FILE} ${stageLines.refused}`);
  if (bringup.refused) notes.push(`${BRINGUP_STAGE_FILE} ${bringup.refused}`);
  const compilerMarker = bringup.marker;
  await Promise.all([redactProbeFile(stageFile, secrets), redactProbeFile(bringupFile, secrets)]);
  const [markerWrittenMs, lastStageWrittenMs] = stageLines.sequence.length ? await Promise.all([writtenAt(bringupFile), writtenAt(stageFile)]) : [null, null];
  const stageFacts = { sequence, compilerMarker, markerWrittenMs, lastStageWrittenMs };
  if (staleMarker({ ...stageFacts, status: 'fail' })) {
    notes.push(`${BRINGUP_STAGE_FILE}: ${compilerMarker} was written before the probe entered ${sequence.at(-1)} (an earlier program's); ignored`);
  }

  return { probe, ctx, attempt, dir, outputDir, logFiles, startedAt, facts, result, problem, notes, sequence, stageFacts };
}

/** Classifies and judges a settled probe: reads its logs, writes nothing, holds no device. */
export async function judge(settled: SettledProbe): Promise<Outcome> {
  const { probe, ctx, attempt, dir, outputDir, logFiles, startedAt, facts, result, problem, notes, sequence, stageFacts } = settled;
  const cleanEnd = facts.exitCode === 0 && !facts.timedOut && (result?.status === 'pass' || result?.status === 'compiled' || result?.status === 'skip');
  const classification = cleanEnd
    ? NO_CLASSIFICATION
    : await classify(ctx.catalog, {
        stdoutFile: logFiles.stdout,
        stderrFile: logFiles.stderr,
        message: facts.spawnError ?? result?.message ?? null,
        stage: sequence.at(-1) ?? null,
      });
  const verdict = decideVerdict(
    { ...facts, timeoutSeconds: probe.timeoutSeconds, result, resultProblem: problem, spawnError: facts.spawnError },
    ctx.target,
    classification,
    { mock: ctx.mock !== null, lastStage: sequence.at(-1) ?? null },
  );
  const stages = stageReport({ ...stageFacts, status: verdict.status });
  if (ctx.mock && stages?.failedAt === 'execute') notes.push('failed while executing on a mock system, whose execution is mocked: this failure may not happen on hardware');
  return {
    ...baseOutcome(probe, ctx, attempt, dir),
    ...verdict,
    startedAt,
    durationS: Number(facts.durationS.toFixed(3)),
    exitCode: facts.exitCode,
    signal: facts.signal,
    result,
    resultProblem: problem,
    started: !facts.spawnError,
    spawnError: facts.spawnError,
    timedOut: facts.timedOut,
    timeoutSeconds: probe.timeoutSeconds,
    notes,
    predicted: result ? predictionsFor(result, ctx.catalog, ctx.target, verdict) : [],
    opVerdicts: result?.opResults.length ? await classifyOpResults(result.opResults, outputDir, ctx.catalog) : [],
    stages,
  };
}
