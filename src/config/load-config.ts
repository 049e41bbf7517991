import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../schemas/config.js';
import { TtprobeError, invalidInput } from '../errors.js';
// Kept even against a config: the PJRT plugin breaks with these set.
import { NEVER_FOR_TT_XLA } from '../environment/env-profile.js';

/** Read from the working directory when --config names no file. */
export const DEFAULT_CONFIG_FILE = 'ttprobe.config.json';
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  /** Absolute path of the file read; null when there was none. */
  file: string | null;
  config: Config;
}


/**
 * The config named by --config (it must exist), else ./ttprobe.config.json when present, else an
 * empty one. Paths in it are relative to its own folder; bare interpreter names stay for PATH.
 */
export async function loadConfig(flag: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  const file = flag !== undefined ? path.resolve(cwd, flag) : path.resolve(cwd, DEFAULT_CONFIG_FILE);
  if (flag === undefined && !existsSync(file)) return { file: null, config: {} };
  const info = await stat(file).catch((err: Error) => {
    throw new TtprobeError('not-found', `--config ${flag}: cannot read ${file}: ${err.message}`, { file, field: '--config' });
  });
  if (info.isDirectory()) throw new TtprobeError('invalid-input', `--config ${file}: is a folder, not a config file`, { file });
  // A config is a page of settings; a huge one (2 M timeouts) took seconds and a gigabyte to read.
  if (info.size > MAX_CONFIG_BYTES) throw invalidInput(file, '', `${info.size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a config`);
  // Loaded only when there is a file to check: zod and ajv cost a plain `detect` a noticeable start-up.
  const [{ Config }, { parseJsonFile, validateDocument }] = await Promise.all([import('../schemas/config.js'), import('../schemas/validate.js')]);
  const config = await validateDocument(Config, await parseJsonFile(await readFile(file, 'utf8'), file), file);
  // A NUL cannot reach a process's environment: said here, not later as "the interpreter cannot start".
  for (const [stack, settings] of Object.entries(config.stacks ?? {})) {
    for (const [name, value] of Object.entries((settings as { env?: Record<string, string> } | undefined)?.env ?? {})) {
      if (name.includes('\0') || value.includes('\0')) throw invalidInput(file, `stacks.${stack}.env.${name.replace(/\0/g, '\\0')}`, 'holds a NUL character, which no environment variable can');
    }
  }
  for (const name of NEVER_FOR_TT_XLA) {
    if (config.stacks?.['tt-xla']?.env?.[name] !== undefined) {
      throw invalidInput(file, `stacks.tt-xla.env.${name}`, `TT-XLA probes always run without ${NEVER_FOR_TT_XLA.join(', ')} (the PJRT plugin breaks with a tt-metal build on them)`);
    }
  }
  return { file, config: withPathsFrom(path.dirname(file), config) };
}

function resolvePython(dir: string, python: string | undefined): string | undefined {
  return python !== undefined && python.includes('/') ? path.resolve(dir, python) : python;
}

function withPathsFrom(dir: string, config: Config): Config {
  const xla = config.stacks?.['tt-xla'];
  const metal = config.stacks?.['tt-metal'];
  if (!xla && !metal) return config;
  return {
    ...config,
    stacks: {
      ...(xla ? { 'tt-xla': { ...xla, python: resolvePython(dir, xla.python) } } : {}),
      ...(metal
        ? {
            'tt-metal': {
              ...metal,
              python: resolvePython(dir, metal.python),
              ttMetalHome: metal.ttMetalHome === undefined ? undefined : path.resolve(dir, metal.ttMetalHome),
            },
          }
        : {}),
    },
  };
}
