import type { StackInfo } from '../schemas/device.js';

/**
 * What to do about a stack detect found not usable, in the words of the files a lab edits: the
 * requirements file that lists what to install, and the config keys that name the environment.
 */
export function stackFix(stack: string, info: StackInfo, configFile: string | null): string | null {
  if (info.usable) return null;
  const config = configFile ?? 'ttprobe.config.json';
  if (stack === 'tt-xla') {
    return `install jax, jaxlib and the TT PJRT plugin into that interpreter (requirements-tt.txt lists them), or name an environment that has them as stacks.tt-xla.python in ${config} (or --python tt-xla=PATH)`;
  }
  if (stack === 'tt-metal') {
    return `point stacks.tt-metal.ttMetalHome in ${config} (or TT_METAL_HOME) at a tt-metal checkout and stacks.tt-metal.python at its python_env with ttnn (see requirements-tt.txt)`;
  }
  return null;
}
