import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { TtprobeError } from '../errors.js';

/** Written into every site; its presence is what lets a later build replace the folder. */
export const SITE_MARKER = '.ttprobe-site';
export const SITE_MARKER_TEXT = 'This folder was made by `ttprobe site`; the next build replaces it whole.\n';

/** The real path of `p`, through symlinks, also when `p` (or some of its parents) does not exist yet. */
export async function realPathOf(p: string): Promise<string> {
  const absolute = path.resolve(p);
  try {
    return await realpath(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(await realPathOf(parent), path.basename(absolute));
  }
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + path.sep);

/**
 * Refuses an --out whose replacement would lose data: one that is, holds or is inside the runs
 * (never, even with --force), a file, or a non-empty folder the site did not make (unless --force).
 * Touches nothing; returns the real path to build at.
 */
export async function checkOutDir(out: string, runsDir: string, force: boolean): Promise<string> {
  const shown = path.resolve(out);
  const real = await realPathOf(out);
  const runs = await realPathOf(runsDir);
  if (within(real, runs) || within(runs, real)) {
    throw new TtprobeError('invalid-input', `${shown}: holds or is inside the runs folder ${path.resolve(runsDir)}; choose an --out outside it`, { file: shown });
  }
  const stat = await lstat(real).catch(() => null);
  if (!stat || force) return real;
  if (!stat.isDirectory()) {
    throw new TtprobeError('invalid-input', `${shown}: is a file, not a site ttprobe made; pass --force to replace it`, { file: shown });
  }
  const entries = await readdir(real);
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new TtprobeError(
      'invalid-input',
      `${shown}: holds ${entries.length} other file(s) and is not a site ttprobe made (no ${SITE_MARKER} in it); pass --force to replace it`,
      { file: shown },
    );
  }
  return real;
}
