import { existsSync } from 'node:fs';
import { execa } from 'execa';
import type { StackInfo } from '../schemas/device.js';
import type { PythonEnvInfo } from '../environment/python-env.js';

export function ttXlaStack(py: PythonEnvInfo): StackInfo {
  const versions: Record<string, string> = {};
  for (const name of ['jax', 'jaxlib', 'flax', 'pjrt-plugin-tt']) {
    if (py.packages[name]) versions[name] = py.packages[name]!;
  }
  if (!py.ok) return { usable: false, reason: py.error ?? 'probe Python environment unusable', versions };
  if (!versions.jax) return { usable: false, reason: 'jax is not installed in the probe Python environment', versions };
  if (!versions['pjrt-plugin-tt']) {
    return { usable: false, reason: 'the TT PJRT plugin (pjrt-plugin-tt) is not installed', versions };
  }
  if (!py.jaxBackends.includes('tt')) {
    return { usable: false, reason: "pjrt-plugin-tt is installed but jax.devices('tt') found no device", versions };
  }
  const foreign = py.ttPlatforms.filter((p) => p !== 'tt');
  if (foreign.length) {
    return { usable: false, reason: `jax.devices('tt') returns ${foreign.join(', ')} devices (${py.ttDevices.join(', ')}): the plugin falls back`, versions };
  }
  return { usable: true, reason: `JAX sees ${py.ttDevices.join(', ')}`, versions };
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
