import { execa } from 'execa';

/**
 * Runs a short inspection of an interpreter (its version, its packages, its modules) the way probes
 * are run: in its own process group, ended whole at the time limit, and read only for a moment after
 * it exits. A wrapper script whose background child inherits stdout would otherwise keep the pipe,
 * and the command waiting on it, open for as long as that child lives.
 */

/** How long output may still arrive after the interpreter exited. */
const DRAIN_MS = 1000;
/** An inspection answers in one short line; more than this is not kept. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export interface BoundedFailure extends Error {
  code?: string;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  shortMessage: string;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Resolves with stdout when the command exits 0; otherwise rejects with execa's fields (code, exitCode, signal, timedOut, stderr). */
export async function runBounded(file: string, args: string[], opts: { env: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): Promise<{ stdout: string; stderr: string }> {
  const child = execa(file, args, { env: opts.env, cwd: opts.cwd, extendEnv: false, stdin: 'ignore', detached: true, buffer: false, reject: false, encoding: 'buffer' });
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (c: Buffer) => {
      if (sizes[stream] >= MAX_OUTPUT_BYTES) return;
      chunks[stream].push(c);
      sizes[stream] += c.length;
    });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutMs);
  let drain: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    // Whatever the interpreter started is not wanted once it has answered.
    killGroup(child.pid);
    drain = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_MS);
  });
  const result = await child;
  clearTimeout(timer);
  clearTimeout(drain);
  killGroup(child.pid);
  const stdout = Buffer.concat(chunks.stdout).toString('utf8');
  const stderr = Buffer.concat(chunks.stderr).toString('utf8');
  const exitCode = result.exitCode;
  if (!timedOut && exitCode === 0) return { stdout, stderr };
  const spawnFailed = result.failed && exitCode === undefined && !result.signal;
  const code = spawnFailed ? (result.cause as NodeJS.ErrnoException | undefined)?.code ?? (result as { code?: string }).code : undefined;
  const shortMessage = timedOut ? `timed out after ${opts.timeoutMs / 1000} s` : result.shortMessage ?? `exit code ${exitCode}`;
  throw Object.assign(new Error(shortMessage), {
    code, exitCode: spawnFailed ? undefined : exitCode, signal: timedOut ? undefined : result.signal, timedOut, stdout, stderr, shortMessage,
  }) as BoundedFailure;
}
