import { execa } from 'execa';
import { CappedLog, DEFAULT_LOG_LIMITS, type LogLimits } from './capped-log.js';
import { Redactor, secretsOf } from './redact.js';

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
  /** Called with the process group id once the probe has started. */
  onSpawn?: (pgid: number) => void;
}

export interface ProcessFacts {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationS: number;
  /** Processes of the probe's group still alive after it exited, killed by the harness. */
  strayProcesses: boolean;
  spawnError: string | null;
  truncatedBytes: { stdout: number; stderr: number };
}

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

  const child = execa(file, args, {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    encoding: 'buffer',
  });
  if (child.pid !== undefined) spec.onSpawn?.(child.pid);
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

  // A grandchild that inherited stdout keeps the pipes open after the probe exits: end the group
  // as soon as the leader is gone so the streams close.
  let strayProcesses = false;
  child.once('exit', () => {
    if (child.pid !== undefined && killGroup(child.pid, 0 as unknown as NodeJS.Signals)) {
      strayProcesses = killGroup(child.pid, 'SIGKILL');
    }
  });

  const result = await child;
  clearTimeout(timer);
  clearTimeout(killTimer);
  spec.signal?.removeEventListener('abort', onAbort);
  if (child.pid !== undefined && killGroup(child.pid, 'SIGKILL')) strayProcesses = true;
  await Promise.all([stdout.close(), stderr.close()]);

  const spawnFailed = result.failed && result.exitCode === undefined && !result.signal;
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    aborted,
    durationS: (performance.now() - started) / 1000,
    strayProcesses,
    spawnError: spawnFailed ? (result.originalMessage || result.shortMessage || 'spawn failed') : null,
    truncatedBytes: { stdout: stdout.truncatedBytes, stderr: stderr.truncatedBytes },
  };
}
