import { execa } from 'execa';

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
}

// Runs inside the probe interpreter; prints one JSON line last. JAX backends are probed one by one
// because jax.devices('tt') raises when the PJRT plugin is absent; "--no-jax" (tt-metal's
// environment) only reads package versions.
const INSPECT = String.raw`
import json, sys, importlib.metadata as md
out = {"python": sys.version.split()[0], "packages": {}, "backends": [], "tt_devices": [], "tt_platforms": []}
for dist in ("jax", "jaxlib", "flax", "pjrt-plugin-tt", "transformers", "diffusers", "ttnn", "torch", "numpy"):
    try:
        out["packages"][dist] = md.version(dist)
    except Exception:
        pass
def backends():
    try:
        import jax
        for platform in ("tt", "cuda", "rocm", "cpu"):
            try:
                devs = jax.devices(platform)
            except Exception:
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
print(json.dumps(out))
`;

export async function inspectPythonEnv(python: string, env: NodeJS.ProcessEnv, opts: { jax?: boolean } = {}): Promise<PythonEnvInfo> {
  const empty = { python: null, packages: {}, jaxBackends: [], ttDevices: [], ttPlatforms: [] };
  const args = ['-c', INSPECT, ...(opts.jax === false ? ['--no-jax'] : [])];
  try {
    const { stdout } = await execa(python, args, { env, extendEnv: false, timeout: 120_000, stdin: 'ignore' });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    const parsed = JSON.parse(lastLine) as {
      python: string;
      packages: Record<string, string>;
      backends: string[];
      tt_devices: string[];
      tt_platforms?: string[];
    };
    return {
      ok: true,
      error: null,
      python: parsed.python,
      packages: parsed.packages,
      jaxBackends: parsed.backends,
      ttDevices: parsed.tt_devices,
      ttPlatforms: parsed.tt_platforms ?? [],
    };
  } catch (err) {
    // Not execa's message: it quotes the whole inspection script.
    const e = err as { code?: string; exitCode?: number; signal?: string; timedOut?: boolean; stderr?: string; message: string };
    const last = e.stderr?.trim().split('\n').at(-1);
    const why = e.code ?? (e.timedOut ? 'timed out' : e.signal ? `killed by ${e.signal}` : e.exitCode !== undefined ? `exit code ${e.exitCode}` : e.message.split('\n')[0]);
    return { ok: false, error: `cannot inspect ${python}: ${why}${last ? `: ${last}` : ''}`, ...empty };
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
    const { stdout } = await execa(python, ['-c', 'import sys; print(sys.version.split()[0])'], {
      env,
      extendEnv: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
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
