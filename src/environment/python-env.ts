import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBounded, type BoundedFailure } from './bounded-run.js';

/** What the probe Python environment offers, read by running that interpreter. */
export interface PythonEnvInfo {
  ok: boolean;
  error: string | null;
  python: string | null;
  packages: Record<string, string>;
  jaxBackends: string[];
  ttDevices: string[];
  /** The platform the devices of JAX's "tt" backend report: "tt" for real hardware. */
  ttPlatforms: string[];
  /** Why jax.devices('tt') raised, in one line (e.g. tt-metal's "No chips detected in the cluster"). */
  ttError: string | null;
}

/** The TT PJRT plugin's distributions: TT-XLA's own build on PyPI, and Tenstorrent's package index's. */
export const TT_PLUGIN_DISTRIBUTIONS = ['jax-tt-plugin', 'pjrt-plugin-tt'] as const;

// Runs inside the probe interpreter and writes its answer as JSON to the file named by argv[1]: TT-XLA's
// plugin logs to stdout, so nothing printed can be taken for the answer. JAX backends are probed one by
// one because jax.devices('tt') raises when the PJRT plugin is absent or finds no chip; "--no-jax"
// (tt-metal's environment) only reads package versions.
const INSPECT = String.raw`
import json, os, sys, importlib.metadata as md
out = {"python": sys.version.split()[0], "packages": {}, "backends": [], "tt_devices": [], "tt_platforms": [], "tt_error": None}
for dist in ("jax", "jaxlib", "flax", "jax-tt-plugin", "pjrt-plugin-tt", "transformers", "diffusers", "ttnn", "torch", "numpy"):
    try:
        out["packages"][dist] = md.version(dist)
    except Exception:
        pass
def one_line(exc):
    # tt-metal's TT_FATAL text spans lines and ends in a backtrace: keep what comes before it.
    lines = [l.strip() for l in str(exc).split("backtrace:")[0].splitlines() if l.strip() and l.strip() != "info:"]
    return " / ".join(lines)[:500] or type(exc).__name__
def backends():
    try:
        import jax
        for platform in ("tt", "cuda", "rocm", "cpu"):
            try:
                devs = jax.devices(platform)
            except Exception as exc:
                if platform == "tt":
                    out["tt_error"] = one_line(exc)
                continue
            if devs:
                out["backends"].append(platform)
                if platform == "tt":
                    out["tt_devices"] = [str(d) for d in devs]
                    out["tt_platforms"] = sorted({d.platform for d in devs})
    except Exception as exc:
        out["jax_error"] = repr(exc)
if "--no-jax" not in sys.argv:
    backends()
with open(sys.argv[1] + ".tmp", "w") as f:
    json.dump(out, f)
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
`;

interface Answer {
  python: string;
  packages: Record<string, string>;
  backends: string[];
  tt_devices: string[];
  tt_platforms?: string[];
  tt_error?: string | null;
}

/** The last line a dying interpreter printed, stderr first: logger lines on stdout rarely say why. */
function lastWords(stderr?: string, stdout?: string): string | undefined {
  return stderr?.trim().split('\n').at(-1) || stdout?.trim().split('\n').at(-1) || undefined;
}

export async function inspectPythonEnv(python: string, env: NodeJS.ProcessEnv, opts: { jax?: boolean } = {}): Promise<PythonEnvInfo> {
  const empty = { python: null, packages: {}, jaxBackends: [], ttDevices: [], ttPlatforms: [], ttError: null };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ttprobe-inspect-'));
  const answerFile = path.join(dir, 'answer.json');
  const args = ['-c', INSPECT, answerFile, ...(opts.jax === false ? ['--no-jax'] : [])];
  try {
    // In its own folder: tt-metal writes generated/fabric/*.yaml into the working directory when it opens a (mock) device.
    const run: Partial<BoundedFailure> & { stdout: string; stderr: string } = await runBounded(python, args, { env, timeoutMs: 120_000, cwd: dir })
      .catch((e: BoundedFailure) => e);
    const text = await readFile(answerFile, 'utf8').catch(() => null);
    if (text === null) {
      const why = run.timedOut ? 'timed out' : run.signal ? `killed by ${run.signal}` : run.exitCode ? `exit code ${run.exitCode}` : run.code ?? 'no answer';
      const last = lastWords(run.stderr, run.stdout);
      return { ok: false, error: `cannot inspect ${python}: ${why}${last ? `: ${last}` : ''}`, ...empty };
    }
    const parsed = JSON.parse(text) as Answer;
    return {
      ok: true,
      error: null,
      python: parsed.python,
      packages: parsed.packages,
      jaxBackends: parsed.backends,
      ttDevices: parsed.tt_devices,
      ttPlatforms: parsed.tt_platforms ?? [],
      ttError: parsed.tt_error ?? null,
    };
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { ok: false, error: `cannot inspect ${python}: ${e.code ?? e.message.split('\n')[0]}`, ...empty };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface StartCheck {
  starts: boolean;
  /** Its Python version when it starts. */
  version: string | null;
  /** Why it does not start, in words. */
  error: string | null;
}

const PYTHON_VERSION = /^\d+\.\d+(?:\.\d+)?[a-z0-9+]{0,16}$/;

/** Whether `python` runs at all, with the environment its stack gives it. */
export async function checkStarts(python: string, env: NodeJS.ProcessEnv): Promise<StartCheck> {
  try {
    const { stdout } = await runBounded(python, ['-c', 'import sys; print(sys.version.split()[0])'], { env, timeoutMs: 60_000 });
    const version = stdout.trim().split('\n').at(-1) ?? '';
    // Judged on the answer, not on how it was read: anything but a version is not a Python that works.
    if (!PYTHON_VERSION.test(version)) return { starts: false, version: null, error: `does not answer as a Python interpreter (printed ${JSON.stringify(version.slice(0, 60))}${version.length > 60 ? '...' : ''})` };
    return { starts: true, version, error: null };
  } catch (err) {
    const e = err as { code?: string; timedOut?: boolean; exitCode?: number; stderr?: string; shortMessage?: string; message: string };
    const last = e.stderr?.trim().split('\n').at(-1);
    const error =
      e.code === 'ENOENT' ? (python.includes('/') ? 'does not exist' : 'is not found on PATH')
      : e.code === 'EACCES' ? 'is not executable'
      : e.timedOut ? 'did not start within 60 s'
      : `cannot start (${last || e.shortMessage || e.message})`;
    return { starts: false, version: null, error };
  }
}
