import path from 'node:path';
import type { LoadedProbe, Stack, Target } from '../schemas/manifest.js';
import type { MockSystem, Tier } from '../schemas/device.js';
import type { StackSetting } from '../config/stack-settings.js';
import { MOCK_ENV_NAMES, mockEnv } from '../mock/mock-env.js';

export interface ProfileInput {
  probe: LoadedProbe;
  target: Target;
  tier: Tier;
  devices: number;
  size: 'tiny' | 'full';
  probeLibDir: string;
  resultFile: string;
  /** Where the probe appends each stage it enters; empty when no probe will run (preflight). */
  stageFile?: string;
  outputDir: string;
  baseEnv: NodeJS.ProcessEnv;
  /** The probe's stack's settings: its extra env and TT_METAL_HOME. */
  stackSetting?: StackSetting;
  /** The mock system of a `--mock` run; null or absent on hardware and CPU runs. */
  mock?: MockSystem | null;
}

const MESH_DEVICE_OF_TIER: Partial<Record<Tier, string>> = {
  n150: 'N150',
  n300: 'N300',
  t3k: 'T3K',
  galaxy: 'TG',
  p100: 'P100',
  p150: 'P150',
  p300: 'P300',
  // tt-metal's Blackhole Galaxy demos and tests read MESH_DEVICE=BHGLX.
  'galaxy-bh': 'BHGLX',
};

function prependPath(existing: string | undefined, ...dirs: string[]): string {
  return [...dirs, ...(existing ? [existing] : [])].join(path.delimiter);
}

/**
 * Never given to TT-XLA's processes: the PJRT plugin breaks on a tt-metal build's TT_METAL_HOME and
 * LD_LIBRARY_PATH (the N150 hand run), and keeps a TT_METAL_RUNTIME_ROOT already set instead of the
 * runtime it carries, so a caller's tt-metal checkout would be mixed with the plugin's own build.
 */
export const NEVER_FOR_TT_XLA = ['TT_METAL_HOME', 'LD_LIBRARY_PATH', 'TT_METAL_RUNTIME_ROOT'] as const;

/**
 * What every process of a stack starts from, its probes and its detection alike: the caller's
 * environment with the stack's extra variables over it; TT-XLA's without NEVER_FOR_TT_XLA,
 * tt-metal's with the configured checkout as TT_METAL_HOME and on PYTHONPATH.
 */
export function stackEnv(stack: Stack, baseEnv: NodeJS.ProcessEnv, setting?: StackSetting): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv, ...setting?.env };
  if (stack === 'tt-xla') {
    for (const name of NEVER_FOR_TT_XLA) delete env[name];
  } else {
    if (setting?.ttMetalHome) env.TT_METAL_HOME = setting.ttMetalHome;
    if (env.TT_METAL_HOME) env.PYTHONPATH = prependPath(env.PYTHONPATH, env.TT_METAL_HOME);
  }
  return env;
}

/**
 * The environment a probe runs in. From the N150 hand run: TT-XLA's PJRT plugin breaks when
 * TT_METAL_HOME or LD_LIBRARY_PATH point at a tt-metal build; tt-metal needs them plus MESH_DEVICE.
 */
export function probeEnv(input: ProfileInput): NodeJS.ProcessEnv {
  const env = stackEnv(input.probe.stack, input.baseEnv, input.stackSetting);
  env.TTPROBE_PROBE_ID = input.probe.id;
  env.TTPROBE_RESULT_FILE = input.resultFile;
  if (input.stageFile) env.TTPROBE_STAGE_FILE = input.stageFile;
  env.TTPROBE_OUTPUT_DIR = input.outputDir;
  env.TTPROBE_TARGET = input.target;
  env.TTPROBE_DEVICES = String(input.devices);
  env.TTPROBE_SIZE = input.size;
  env.PYTHONUNBUFFERED = '1';
  env.PYTHONDONTWRITEBYTECODE = '1';
  // A hardware verdict must come from hardware: a mock descriptor left in the caller's shell never leaks in.
  for (const name of MOCK_ENV_NAMES) delete env[name];
  if (input.mock) Object.assign(env, mockEnv(input.mock));

  if (input.probe.stack === 'tt-xla') {
    env.PYTHONPATH = prependPath(env.PYTHONPATH, input.probeLibDir);
    // The PJRT plugin then writes its own stage (._bringup_stage.txt in the working directory), as
    // tt-xla's test infrastructure has it do; the runner records it beside the probe's stage.
    env.ENABLE_BRINGUP_STAGE_LOGGING = '1';
    if (input.target === 'cpu') {
      env.JAX_PLATFORMS = 'cpu';
      if (input.devices > 1) {
        env.XLA_FLAGS = [env.XLA_FLAGS, `--xla_force_host_platform_device_count=${input.devices}`].filter(Boolean).join(' ');
      }
    } else {
      delete env.JAX_PLATFORMS;
    }
  } else {
    env.PYTHONPATH = prependPath(env.PYTHONPATH, input.probeLibDir);
    const mesh = MESH_DEVICE_OF_TIER[input.mock ? (input.mock.tier as Tier) : input.tier];
    if (!env.MESH_DEVICE && mesh) env.MESH_DEVICE = mesh;
  }
  return env;
}

/** Environment variables a manifest requires but the profile does not provide. */
export function missingEnv(probe: LoadedProbe, env: NodeJS.ProcessEnv): string[] {
  return probe.requires.env.filter((name) => !env[name]);
}
