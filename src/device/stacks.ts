import { existsSync } from 'node:fs';
import { execa } from 'execa';
import type { StackInfo } from '../schemas/device.js';
import { TT_PLUGIN_DISTRIBUTIONS, type PythonEnvInfo } from '../environment/python-env.js';

/** "jax-tt-plugin 0.1.3": which distribution of the TT PJRT plugin is installed, and its version. */
export function ttPluginOf(packages: Record<string, string>): string | null {
  const dist = TT_PLUGIN_DISTRIBUTIONS.find((d) => packages[d]);
  return dist ? `${dist} ${packages[dist]}` : null;
}

export function ttXlaStack(py: PythonEnvInfo): StackInfo {
  const versions: Record<string, string> = {};
  for (const name of ['jax', 'jaxlib', 'flax', ...TT_PLUGIN_DISTRIBUTIONS]) {
    if (py.packages[name]) versions[name] = py.packages[name]!;
  }
  if (!py.ok) return { usable: false, reason: py.error ?? 'probe Python environment unusable', versions };
  if (!versions.jax) return { usable: false, reason: 'jax is not installed in the probe Python environment', versions };
  const plugin = ttPluginOf(versions);
  if (!plugin) {
    return { usable: false, reason: `no TT PJRT plugin is installed (${TT_PLUGIN_DISTRIBUTIONS.join(' or ')})`, versions };
  }
  if (!py.jaxBackends.includes('tt')) {
    return { usable: false, reason: `${plugin} is installed but jax.devices('tt') ${py.ttError ? `failed: ${py.ttError}` : 'found no device'}`, versions };
  }
  const foreign = py.ttPlatforms.filter((p) => p !== 'tt');
  if (foreign.length) {
    return { usable: false, reason: `jax.devices('tt') returns ${foreign.join(', ')} devices (${py.ttDevices.join(', ')}): the plugin falls back`, versions };
  }
  return { usable: true, reason: `JAX sees ${py.ttDevices.join(', ')} through ${plugin}`, versions };
}

export async function ttMetalStack(env: NodeJS.ProcessEnv, py: PythonEnvInfo): Promise<StackInfo> {
  const versions: Record<string, string> = {};
  for (const name of ['ttnn', 'torch']) {
    if (py.packages[name]) versions[name] = py.packages[name]!;
  }
  const home = env.TT_METAL_HOME;
  if (!home) {
    return {
      usable: false,
      reason: versions.ttnn ? 'ttnn is installed but TT_METAL_HOME is not set' : 'TT_METAL_HOME is not set',
      versions,
    };
  }
  if (!existsSync(home)) return { usable: false, reason: `TT_METAL_HOME=${home} does not exist`, versions };
  versions.ttMetalHome = home;
  try {
    const { stdout } = await execa('git', ['-C', home, 'describe', '--tags', '--always', '--dirty'], { timeout: 10_000 });
    versions['tt-metal'] = stdout.trim();
  } catch {
    versions['tt-metal'] = 'unknown (not a git checkout)';
  }
  return { usable: true, reason: `tt-metal at ${home}`, versions };
}
