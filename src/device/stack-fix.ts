import type { StackInfo } from '../schemas/device.js';

/**
 * What to do about a stack detect found not usable, in the words of the files a lab edits: the
 * requirements file that lists what to install, and the config keys that name the environment.
 */
export function stackFix(stack: string, info: StackInfo, configFile: string | null): string | null {
  if (info.usable) return null;
  const config = configFile ?? 'ttprobe.config.json';
  if (stack === 'tt-xla' && pluginFoundNoChip(info)) {
    return 'the plugin is installed and found no Tenstorrent chip: check the board and its tt-kmd driver (ls /dev/tenstorrent, tt-smi), or compile without a board with ttprobe run --mock p150';
  }
  if (stack === 'tt-xla') {
    return `install jax, jaxlib and the TT PJRT plugin into that interpreter (requirements-tt.txt lists them), or name an environment that has them as stacks.tt-xla.python in ${config} (or --python tt-xla=PATH)`;
  }
  if (stack === 'tt-metal') {
    return `point stacks.tt-metal.ttMetalHome in ${config} (or TT_METAL_HOME) at a tt-metal checkout and stacks.tt-metal.python at its python_env with ttnn (see requirements-tt.txt)${info.versions.ttnn ? '; the ttnn API probes (ttmetal-matmul, ttmetal-op-coverage) run from the ttnn wheel without it, the model demos need the checkout' : ''}`;
  }
  return null;
}

/** Reinstalling cannot help a plugin that loaded and then found no chip: the board or driver is what is missing. */
function pluginFoundNoChip(info: StackInfo): boolean {
  return Object.keys(info.versions).some((name) => /tt-plugin|pjrt-plugin-tt/.test(name)) && /No chips detected|num_chips > 0/.test(info.reason);
}
