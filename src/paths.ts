import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed ttprobe package root (holds probes/, catalog/, schemas/). */
export const PACKAGE_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_PROBES_DIR = path.join(PACKAGE_ROOT, 'probes');
export const DEFAULT_RUNS_DIR = path.join('reports', 'runs');

/** $TTPROBE_PYTHON, else the venv the setup script makes, else python3 on PATH. */
export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TTPROBE_PYTHON) return env.TTPROBE_PYTHON;
  const venv = path.join(PACKAGE_ROOT, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}
