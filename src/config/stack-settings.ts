import path from 'node:path';
import type { Stack } from '../schemas/manifest.js';
import { TtprobeError } from '../errors.js';
import { defaultPython, defaultStackPython } from '../paths.js';
import type { LoadedConfig } from './load-config.js';

/** What one stack's probes (and its detection) run with. */
export interface StackSetting {
  python: string;
  /** What chose the interpreter, named in errors: a flag, a config field, a variable, the default. */
  origin?: { what: string; file?: string; field?: string };
  /** TT_METAL_HOME for the tt-metal stack; when absent, the caller's own TT_METAL_HOME. */
  ttMetalHome?: string | null;
  /** Set over the caller's environment for this stack's processes. */
  env?: Record<string, string>;
}
export type StackSettings = Record<Stack, StackSetting>;

// Not the zod enum: detect should not load zod just to name two stacks.
const STACKS: readonly Stack[] = ['tt-xla', 'tt-metal'];

/** `python` for every stack, with what `stacks` says on top of it. */
export function settingsFor(python: string, stacks: Partial<StackSettings> = {}): StackSettings {
  const one = (s: Stack): StackSetting => stacks[s] ?? { python, origin: { what: 'the interpreter given for every stack' } };
  return { 'tt-xla': one('tt-xla'), 'tt-metal': one('tt-metal') };
}

interface PythonFlags {
  all?: string;
  perStack: Partial<Record<Stack, string>>;
}

/** `--python PATH` applies to every stack, `--python STACK=PATH` to one; the last of each wins. */
export function parsePythonFlags(values: string[], cwd = process.cwd()): PythonFlags {
  const flags: PythonFlags = { perStack: {} };
  const absolute = (p: string) => (p.includes('/') ? path.resolve(cwd, p) : p);
  for (const value of values) {
    const match = /^([a-z-]+)=(.*)$/.exec(value);
    if (match && STACKS.includes(match[1] as Stack)) {
      if (!match[2]) throw new TtprobeError('usage', `--python ${value}: no interpreter after '='`);
      flags.perStack[match[1] as Stack] = absolute(match[2]);
    } else if (match) {
      throw new TtprobeError('usage', `--python ${value}: unknown stack '${match[1]}' (known: ${STACKS.join(', ')})`);
    } else {
      flags.all = absolute(value);
    }
  }
  return flags;
}

/**
 * Each stack's interpreter: `--python STACK=PATH`, else `--python PATH`, else the config's
 * stacks[STACK].python, else $TTPROBE_PYTHON, else the stack's own venv (.venv-tt-xla, .venv-tt-metal)
 * when setup made it, else .venv, else python3. The config states this
 * machine's setup on purpose, so it wins over the caller's environment; flags win over both.
 */
export function resolveStacks(
  loaded: LoadedConfig,
  pythonFlagValues: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): { stacks: StackSettings; python: string } {
  const flags = parsePythonFlags(pythonFlagValues);
  const resolve = (stack: Stack): StackSetting => {
    const fromConfig = loaded.config.stacks?.[stack];
    const metalHome = stack === 'tt-metal' ? loaded.config.stacks?.['tt-metal']?.ttMetalHome : undefined;
    const common = { ttMetalHome: metalHome ?? null, env: fromConfig?.env ?? {} };
    const flag = flags.perStack[stack];
    if (flag) return { python: flag, origin: { what: `--python ${stack}=${flag}` }, ...common };
    if (flags.all) return { python: flags.all, origin: { what: `--python ${flags.all}` }, ...common };
    if (fromConfig?.python && loaded.file) {
      const field = `stacks.${stack}.python`;
      return { python: fromConfig.python, origin: { what: `${loaded.file}: ${field}`, file: loaded.file, field }, ...common };
    }
    const fallback = defaultStackPython(stack, env);
    return { python: fallback.python, origin: { what: fallback.what }, ...common };
  };
  // `python`: what a stack gets when nothing names one for it, kept in the record's options.
  return { stacks: { 'tt-xla': resolve('tt-xla'), 'tt-metal': resolve('tt-metal') }, python: flags.all ?? defaultPython(env) };
}
