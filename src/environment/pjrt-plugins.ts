import { execa } from 'execa';

// How JAX itself finds PJRT plugins (jax._src.xla_bridge.discover_pjrt_plugins): the modules of the
// `jax_plugins` namespace package and the `jax_plugins` entry points. Found by name, nothing imported:
// a plugin that is installed but breaks on load is the probe's failure to report, not a missing stack.
const LIST = String.raw`
import json, pkgutil
names = set()
try:
    import jax_plugins
    names.update(m.name for m in pkgutil.iter_modules(jax_plugins.__path__))
except Exception:
    pass
try:
    from importlib.metadata import entry_points
    names.update(e.name for e in entry_points(group="jax_plugins"))
except Exception:
    pass
print(json.dumps(sorted(names)))
`;

/** Plugins for other accelerators: JAX's own CUDA and ROCm plugins are no TT backend. */
const NOT_TT = /cuda|rocm/i;

/**
 * The PJRT plugins other than CUDA/ROCm that `python` would load (pjrt_plugin_tt, libtt from
 * jax-tt-plugin, ...); null when the interpreter could not say, so nothing is concluded from it.
 */
export async function ttPluginCandidates(python: string, env: NodeJS.ProcessEnv): Promise<string[] | null> {
  try {
    const { stdout } = await execa(python, ['-c', LIST], { env, extendEnv: false, timeout: 60_000, stdin: 'ignore' });
    return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[]).filter((n) => !NOT_TT.test(n));
  } catch {
    return null;
  }
}
