import { stat } from 'node:fs/promises';
import path from 'node:path';
import { TtprobeError } from '../errors.js';

/**
 * Refuses a folder the command will write into (made if missing) when it, or a folder above it,
 * is a file: caught here, before anything is written, instead of as ENOTDIR/EEXIST halfway through.
 */
export async function requireFolderPath(dir: string, flag: string): Promise<void> {
  const wanted = path.resolve(dir);
  for (let p = wanted; ; p = path.dirname(p)) {
    const info = await stat(p).catch(() => null);
    if (info?.isDirectory()) return;
    if (info) {
      const what = p === wanted ? 'is a file, not a folder' : `${p} is a file, not a folder`;
      throw new TtprobeError('invalid-input', `${flag} ${dir}: ${what}`, { file: p, field: flag });
    }
    if (path.dirname(p) === p) return;
  }
}

/** A log to classify must be a readable file; a folder would otherwise fail deep in the reader. */
export async function requireLogFile(file: string): Promise<void> {
  const info = await stat(file).catch((err: Error) => {
    throw new TtprobeError('not-found', `cannot read ${file}: ${err.message}`, { file });
  });
  if (info.isDirectory()) throw new TtprobeError('invalid-input', `${file}: is a folder, not a log file`, { file });
}
