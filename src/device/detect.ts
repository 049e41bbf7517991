import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import type { DeviceReport, Interpreter, StackInfo } from '../schemas/device.js';
import type { Target } from '../schemas/manifest.js';
import { TtprobeError } from '../errors.js';
import { parseSnapshot, type ParsedSnapshot } from './snapshot.js';
import { runTtSmi, type SnapshotAttempt } from './tt-smi.js';
import { inferTier } from './tier.js';
import { checkStarts, inspectPythonEnv, type PythonEnvInfo } from '../environment/python-env.js';
import { ttMetalStack, ttXlaStack } from './stacks.js';
import { settingsFor, type StackSetting, type StackSettings } from '../config/stack-settings.js';
import { stackEnv } from '../environment/env-profile.js';
import { acquireTtXlaSlot } from '../environment/tt-xla-slot.js';

export interface DetectOptions {
  /** Read this saved snapshot instead of calling tt-smi. */
  snapshotFile?: string;
  /** The interpreter of every stack `stacks` does not name. */
  python: string;
  /** Per-stack interpreter and environment: each stack is inspected with its own. */
  stacks?: Partial<StackSettings>;
  env?: NodeJS.ProcessEnv;
  devDir?: string;
  kmdVersionFile?: string;
  ttSmiTimeoutMs?: number;
}

/** tt-smi writes its own version as host_sw_vers.tt_smi (its HostSWVersions, with pyluwen and tt_umd). */
function ttSmiVersion(snapshot: ParsedSnapshot | null): string | null {
  return snapshot?.hostSoftware.tt_smi ?? null;
}

async function readSnapshotFile(file: string): Promise<SnapshotAttempt> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read snapshot ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return { snapshot: parseSnapshot(text, file), found: false, error: null };
}

async function listDevNodes(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => /^\d+$/.test(n)).map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim() || null;
  } catch {
    return null;
  }
}

function chooseTarget(chips: number, jaxBackends: string[]): { target: Target; reason: string } {
  if (chips > 0) return { target: 'tt', reason: `${chips} Tenstorrent chip(s) found` };
  if (jaxBackends.includes('cuda') || jaxBackends.includes('rocm')) {
    return { target: 'gpu', reason: 'no Tenstorrent device; JAX has a GPU backend, so this is a GPU reference run' };
  }
  return { target: 'cpu', reason: 'no Tenstorrent device and no JAX GPU backend: this is a CPU reference run' };
}

export interface StackInspection {
  py: PythonEnvInfo;
  interpreter: Interpreter;
  env: NodeJS.ProcessEnv;
}

/** One stack's interpreter, run with that stack's environment profile (TT-XLA's without TT_METAL_HOME). */
export async function inspectStack(stack: 'tt-xla' | 'tt-metal', setting: StackSetting, baseEnv: NodeJS.ProcessEnv, cwd?: string): Promise<StackInspection> {
  const env = stackEnv(stack, baseEnv, setting);
  // TT-XLA's plugin unpacks its toolchain and keeps its system descriptor in TMPDIR: a slot of ttprobe's cache, as for its probes.
  const slot = stack === 'tt-xla' ? await acquireTtXlaSlot(baseEnv) : null;
  const py = await inspectPythonEnv(setting.python, { ...env, ...slot?.env }, { jax: stack === 'tt-xla' }).finally(() => slot?.release());
  // A failed inspection may still be an interpreter that starts (a crash importing a package).
  const start = py.ok ? { starts: true, version: py.python, error: null } : await checkStarts(setting.python, env);
  const interpreter = { path: setting.python, from: setting.origin?.what ?? 'the detect options', ...start };
  return { py, interpreter, env };
}

export function withInterpreter(info: StackInfo, interpreter: Interpreter): StackInfo {
  if (interpreter.starts) return { ...info, interpreter };
  return { ...info, usable: false, reason: `its interpreter ${interpreter.path} ${interpreter.error}`, interpreter };
}

export async function detect(opts: DetectOptions): Promise<DeviceReport> {
  const env = opts.env ?? process.env;
  const settings = settingsFor(opts.python, opts.stacks);
  const [attempt, xla, metal] = await Promise.all([
    opts.snapshotFile ? readSnapshotFile(opts.snapshotFile) : runTtSmi(env, opts.ttSmiTimeoutMs ?? 60_000),
    inspectStack('tt-xla', settings['tt-xla'], env),
    inspectStack('tt-metal', settings['tt-metal'], env),
  ]);
  const devNodes = await listDevNodes(opts.devDir ?? '/dev/tenstorrent');
  const py = xla.py;
  const notes: string[] = [];

  const boards = attempt.snapshot?.boards ?? [];
  let { tier, reason: tierReason } = inferTier(boards);
  let chips = boards.length;
  if (!attempt.snapshot && devNodes.length > 0) {
    chips = devNodes.length;
    tier = 'unknown';
    tierReason = `${devNodes.length} device node(s) under /dev/tenstorrent but no tt-smi snapshot (${attempt.error}); layout not guessed`;
  }
  if (attempt.error) notes.push(`tt-smi: ${attempt.error}`);
  // An interpreter that does not start is said once, in its stack's reason.
  for (const { py: stackPy, interpreter } of [xla, metal]) {
    if (interpreter.starts && !stackPy.ok && stackPy.error && !notes.includes(stackPy.error)) notes.push(stackPy.error);
  }

  const host = attempt.snapshot?.host ?? {};
  const sysfsKmd = await readOptional(opts.kmdVersionFile ?? '/sys/module/tenstorrent/version');
  const kmd = host.Driver ?? (sysfsKmd ? `TT-KMD ${sysfsKmd}` : null);
  const firmwareBundle = boards.map((b) => b.firmware.fw_bundle_version).find(Boolean) ?? null;
  const bundles = new Set(boards.map((b) => b.firmware.fw_bundle_version).filter(Boolean));
  if (bundles.size > 1) notes.push(`boards run different firmware bundles: ${[...bundles].join(', ')}`);

  const { target, reason: targetReason } = chooseTarget(chips, py.jaxBackends);
  if (target !== 'tt') notes.push(targetReason);

  return {
    source: opts.snapshotFile ? 'snapshot-file' : attempt.snapshot ? 'tt-smi' : devNodes.length ? 'dev-nodes' : 'none',
    ttSmi: { found: attempt.found, error: attempt.error, version: ttSmiVersion(attempt.snapshot) },
    devNodes,
    boards,
    chips,
    tier,
    tierReason,
    firmwareBundle,
    kmd,
    host: { Hostname: os.hostname(), OS: `${os.type()} ${os.release()}`, Python: py.python ?? 'unknown', ...host },
    stacks: {
      'tt-xla': withInterpreter(ttXlaStack(py), xla.interpreter),
      'tt-metal': withInterpreter(await ttMetalStack(metal.env, metal.py), metal.interpreter),
    },
    jaxBackends: py.jaxBackends,
    target,
    targetReason,
    notes,
    mock: null,
  };
}
