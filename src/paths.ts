import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from './schemas/manifest.js';

/**
 * The installed ttprobe package root (holds probes/, catalog/, schemas/): the nearest folder above this
 * module with a package.json. This code runs from src/ (tests), dist/ (the library) and dist/bundle/
 * (the CLI's bundle, scripts/bundle-cli.mjs), each at another depth.
 */
function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(here);
  }
}
export const PACKAGE_ROOT = packageRoot();
export const DEFAULT_PROBES_DIR = path.join(PACKAGE_ROOT, 'probes');
export const DEFAULT_RUNS_DIR = path.join('reports', 'runs');

/** `$TTPROBE_CACHE_DIR`, else `$XDG_CACHE_HOME/ttprobe`, else `~/.cache/ttprobe`: the TT-XLA slots, bisect's venvs, the site's caches. */
export function ttprobeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TTPROBE_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ttprobe');
}

/** $TTPROBE_PYTHON, else the venv the setup script makes, else python3 on PATH. */
export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TTPROBE_PYTHON) return env.TTPROBE_PYTHON;
  const venv = path.join(PACKAGE_ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** Each stack's own interpreter, made by the setup scripts: TT-XLA's with the PJRT plugin, tt-metal's with ttnn. */
export const STACK_VENVS: Record<Stack, string> = { 'tt-xla': '.venv-tt-xla', 'tt-metal': '.venv-tt-metal' };

/**
 * The interpreter a stack gets when no flag or config names one: $TTPROBE_PYTHON, else the stack's own
 * venv when setup made it, else defaultPython()'s. `what` says which, for `detect` and for errors.
 */
export function defaultStackPython(stack: Stack, env: NodeJS.ProcessEnv = process.env): { python: string; what: string } {
  if (env.TTPROBE_PYTHON) return { python: env.TTPROBE_PYTHON, what: '$TTPROBE_PYTHON' };
  const own = path.join(PACKAGE_ROOT, STACK_VENVS[stack], 'bin', 'python');
  if (existsSync(own)) return { python: own, what: `the default (${STACK_VENVS[stack]})` };
  const python = defaultPython(env);
  return { python, what: python === 'python3' ? 'the default (python3 on PATH)' : 'the default (.venv)' };
}
