import { execa } from 'execa';
import { TtprobeError } from '../errors.js';
import { describeSource, pipIndexArgs, type IndexSource } from './index-source.js';

/**
 * Every version of `pkg` the source offers this interpreter, newest first, as pip orders them
 * (PEP 440, pre-releases included: nightly plugin builds are often dev releases).
 */
export async function listVersions(python: string, pkg: string, source: IndexSource): Promise<string[]> {
  const r = await execa(python, ['-m', 'pip', 'index', 'versions', pkg, '--pre', '--disable-pip-version-check', ...pipIndexArgs(source)], {
    reject: false,
    stdin: 'ignore',
  });
  // `pip index versions` prints "Available versions: 1.4, 1.3, ..." (its --json is newer than some lab pips).
  const line = /^Available versions: (.*)$/m.exec(r.stdout);
  if (r.exitCode !== 0 || !line) {
    const why = (r.stderr || r.stdout).trim().split('\n').at(-1) ?? `exit ${r.exitCode}`;
    throw new TtprobeError('invalid-input', `could not list the versions of ${pkg} from ${describeSource(source)}: ${why}`, { field: '--package' });
  }
  return line[1]!.split(',').map((v) => v.trim()).filter(Boolean);
}

const normal = (v: string) => v.trim().replace(/^v/i, '').toLowerCase();

/** The versions from `good` to `bad`, both included, in that order (a fix is bisected with good newer than bad). */
export function versionsBetween(newestFirst: string[], pkg: string, good: string, bad: string): string[] {
  const find = (v: string, flag: string) => {
    const i = newestFirst.findIndex((x) => normal(x) === normal(v));
    if (i < 0) {
      const shown = newestFirst.slice(0, 12).join(', ') + (newestFirst.length > 12 ? ', ...' : '');
      throw new TtprobeError('invalid-input', `${flag} ${v}: no such version of ${pkg} in the index (it has ${shown || 'none'})`, { field: flag });
    }
    return i;
  };
  const g = find(good, '--good');
  const b = find(bad, '--bad');
  if (g === b) throw new TtprobeError('usage', `--good and --bad are the same version (${newestFirst[g]})`, { field: '--bad' });
  const slice = newestFirst.slice(Math.min(g, b), Math.max(g, b) + 1);
  return g > b ? slice.reverse() : slice;
}
