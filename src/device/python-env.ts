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
// because jax.devices('tt') raises when the PJRT plugin is absent.
const INSPECT = String.raw`
import json, sys, importlib.metadata as md
out = {"python": sys.version.split()[0], "packages": {}, "backends": [], "tt_devices": [], "tt_platforms": []}
for dist in ("jax", "jaxlib", "flax", "pjrt-plugin-tt", "transformers", "diffusers", "ttnn", "torch", "numpy"):
    try:
        out["packages"][dist] = md.version(dist)
    except Exception:
        pass
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
print(json.dumps(out))
`;

export async function inspectPythonEnv(python: string, env: NodeJS.ProcessEnv): Promise<PythonEnvInfo> {
  const empty = { python: null, packages: {}, jaxBackends: [], ttDevices: [], ttPlatforms: [] };
  try {
    const { stdout } = await execa(python, ['-c', INSPECT], { env, extendEnv: false, timeout: 120_000, stdin: 'ignore' });
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
    const e = err as { shortMessage?: string; message: string };
    return { ok: false, error: `cannot inspect ${python}: ${e.shortMessage ?? e.message}`, ...empty };
  }
}
