import { spawn, type ChildProcess } from 'node:child_process';
import { CappedLog, DEFAULT_LOG_LIMITS, type LogLimits } from '../safety/capped-log.js';
import { Redactor, secretsOf } from '../../environment/redact.js';
import { PROCESS_MARK_VAR, endEscaped, findEscaped, newProcessMark, type Escaped } from '../safety/escaped.js';

export interface SpawnSpec {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutSeconds: number;
  graceSeconds: number;
  stdoutFile: string;
  stderrFile: string;
  logLimits?: LogLimits;
  /** Aborting ends the probe's whole process group (Ctrl-C on the runner). */
  signal?: AbortSignal;
  /** Aborting kills the group at once, without waiting out the grace period (a second Ctrl-C). */
  killSignal?: AbortSignal;
  /** Called with the process group id and the attempt's environment mark once the probe has started. */
  onSpawn?: (pgid: number, mark: string) => void;
}

export interface ProcessFacts {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationS: number;
  /** Processes of the probe's group still alive after it exited, killed by the harness. */
  strayProcesses: boolean;
  /** Processes that had left the probe's group (own session), found by their mark and killed. */
  escaped: Escaped[];
  /** Output was still held open after the drain by a process the harness could not find. */
  outputCutOff: boolean;
  spawnError: string | null;
  truncatedBytes: { stdout: number; stderr: number };
}

const NOT_STARTED = {
  exitCode: null,
  signal: null,
  timedOut: false,
  aborted: false,
  strayProcesses: false,
  escaped: [],
  outputCutOff: false,
  truncatedBytes: { stdout: 0, stderr: 0 },
} as const satisfies Omit<ProcessFacts, 'durationS' | 'spawnError'>;

/** How long output may still arrive after the probe exited (a stray holding the pipe open). */
const DRAIN_MS = 1000;

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs one probe as the leader of its own process group, so a timeout or Ctrl-C reaches every
 * grandchild: SIGTERM to the group, then SIGKILL after the grace period.
 */
export async function runProcess(spec: SpawnSpec): Promise<ProcessFacts> {
  const started = performance.now();
  const limits = spec.logLimits ?? DEFAULT_LOG_LIMITS;
  const secrets = secretsOf(spec.env);
  const stdout = new CappedLog(spec.stdoutFile, limits, new Redactor(secrets));
  const stderr = new CappedLog(spec.stderrFile, limits, new Redactor(secrets));
  const [file, ...args] = spec.command as [string, ...string[]];
  const mark = newProcessMark();
  const spawnedAt = performance.now();

  // node's spawn, not execa: this is the runner's hot path, and execa's layers (its result object,
  // stream transforms, verbose logging) cost a millisecond a probe that nothing here uses.
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...spec.env, [PROCESS_MARK_VAR]: mark },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    // Refused before any process existed (an argument node will not pass on, such as one holding a NUL).
    await Promise.all([stdout.close(), stderr.close()]);
    return { ...NOT_STARTED, durationS: (performance.now() - started) / 1000, spawnError: (err as Error).message || 'spawn failed' };
  }
  let spawnError: string | null = null;
  // 'close' comes once the process has exited and its output pipes are closed (or destroyed by the drain).
  const closed = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      spawnError ??= err.message || 'spawn failed';
      if (child.pid === undefined) resolve();
    });
    child.once('close', () => resolve());
  });
  if (child.pid !== undefined) spec.onSpawn?.(child.pid, mark);
  child.stdout?.on('data', (c: Buffer) => stdout.write(c));
  child.stderr?.on('data', (c: Buffer) => stderr.write(c));

  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (child.pid === undefined) return;
    killGroup(child.pid, 'SIGTERM');
    killTimer ??= setTimeout(() => killGroup(child.pid!, 'SIGKILL'), spec.graceSeconds * 1000);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    terminate();
  }, spec.timeoutSeconds * 1000);
  const onAbort = () => {
    aborted = true;
    terminate();
  };
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  if (spec.signal?.aborted) onAbort();
  const onKill = () => {
    aborted = true;
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  };
  spec.killSignal?.addEventListener('abort', onKill, { once: true });
  if (spec.killSignal?.aborted) onKill();

  // A grandchild that inherited stdout keeps the pipes open after the probe exits: end the group as
  // soon as the leader is gone, then whatever left the group, and stop reading after a short drain
  // (a stray that cleared its environment cannot hold the run hostage).
  let strayProcesses = false;
  let escaped: Escaped[] = [];
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let outputCutOff = false;
  // A sweep that found the group empty and nothing marked outside it leaves nothing that could fork
  // again: the sweep after the pipes close is then skipped (each is a scan of /proc, per probe).
  let quiet = false;
  const endStrays = () => {
    if (child.pid === undefined) return;
    const groupAlive = killGroup(child.pid, 0 as unknown as NodeJS.Signals);
    if (groupAlive) strayProcesses = killGroup(child.pid, 'SIGKILL') || strayProcesses;
    const known = new Set(escaped.map((e) => e.pid));
    const ended = endEscaped(findEscaped(mark, child.pid, { pid: child.pid, at: spawnedAt }).filter((e) => !known.has(e.pid)));
    escaped = [...escaped, ...ended];
    quiet = !groupAlive && ended.length === 0;
  };
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    endStrays();
    drainTimer = setTimeout(() => {
      outputCutOff = !(child.stdout?.readableEnded ?? true) || !(child.stderr?.readableEnded ?? true);
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_MS);
  });

  await closed;
  clearTimeout(timer);
  clearTimeout(killTimer);
  clearTimeout(drainTimer);
  spec.signal?.removeEventListener('abort', onAbort);
  spec.killSignal?.removeEventListener('abort', onKill);
  if (!quiet) endStrays();
  await Promise.all([stdout.close(), stderr.close()]);

  return {
    exitCode: exit?.code ?? null,
    signal: exit?.signal ?? null,
    timedOut,
    aborted,
    durationS: (performance.now() - started) / 1000,
    strayProcesses,
    escaped,
    outputCutOff,
    spawnError: exit ? null : spawnError,
    truncatedBytes: { stdout: stdout.truncatedBytes, stderr: stderr.truncatedBytes },
  };
}
