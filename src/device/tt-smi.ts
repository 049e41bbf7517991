import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../paths.js';
import { parseSnapshot, type ParsedSnapshot } from './snapshot.js';

export interface SnapshotAttempt {
  snapshot: ParsedSnapshot | null;
  found: boolean;
  error: string | null;
}

/** The venv scripts/setup-tt-metal.sh installs tt-smi into: a host tool, kept apart from ttnn's own UMD. */
export const TT_SMI_VENV = path.join(PACKAGE_ROOT, '.venv-tt-smi', 'bin', 'tt-smi');

/**
 * Which tt-smi to run: $TTPROBE_TT_SMI when set (a path, or `tt-smi` for PATH alone), else the one on
 * PATH, else ttprobe's own .venv-tt-smi. The PATH lookup is execa's: try it first, fall back on ENOENT.
 */
function candidates(env: NodeJS.ProcessEnv): string[] {
  if (env.TTPROBE_TT_SMI) return [env.TTPROBE_TT_SMI];
  return existsSync(TT_SMI_VENV) ? ['tt-smi', TT_SMI_VENV] : ['tt-smi'];
}

// tt-smi colours its own messages (a red "No Tenstorrent driver detected!"); a record keeps the words.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function lastLines(text: string | undefined, n: number): string {
  return (text ?? '').replace(ANSI, '').split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');
}

/**
 * `tt-smi -s --snapshot_no_tty`. Without a driver tt-smi 6.x prints why on stdout, not stderr, and
 * exits 1 with no JSON: the error says what it printed, from stderr or else stdout.
 */
export async function runTtSmi(env: NodeJS.ProcessEnv, timeout: number): Promise<SnapshotAttempt> {
  const tools = candidates(env);
  for (const tool of tools) {
    const shown = `${tool} -s --snapshot_no_tty`;
    let stdout: string;
    try {
      ({ stdout } = await execa(tool, ['-s', '--snapshot_no_tty'], { env, timeout, stdin: 'ignore' }));
    } catch (err) {
      const e = err as { code?: string; exitCode?: number; timedOut?: boolean; shortMessage?: string; message: string; stderr?: string; stdout?: string };
      if (e.code === 'ENOENT') continue;
      if (e.exitCode === undefined || e.timedOut) {
        return { snapshot: null, found: true, error: e.shortMessage ?? e.message.split('\n')[0]! };
      }
      const said = lastLines(e.stderr, 3) || lastLines(e.stdout, 3);
      return { snapshot: null, found: true, error: `${shown} exited with ${e.exitCode}${said ? `: ${said}` : ''}` };
    }
    try {
      return { snapshot: parseSnapshot(stdout, shown), found: true, error: null };
    } catch (err) {
      return { snapshot: null, found: true, error: (err as Error).message };
    }
  }
  const where = env.TTPROBE_TT_SMI ? `$TTPROBE_TT_SMI=${env.TTPROBE_TT_SMI}` : 'tt-smi';
  const venv = tools.length > 1 || env.TTPROBE_TT_SMI ? '' : ' nor in .venv-tt-smi (scripts/setup.sh installs it)';
  return { snapshot: null, found: false, error: `${where} not found on PATH${venv}` };
}
