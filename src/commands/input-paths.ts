import type { Stats } from 'node:fs';
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

/** What a path that is not a regular file is, in words. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * A log to classify must be a regular file: a folder would fail deep in the reader, and opening a
 * FIFO (or a device) blocks until a writer comes, which may be never.
 */
export async function requireLogFile(file: string): Promise<void> {
  const info = await stat(file).catch((err: Error) => {
    throw new TtprobeError('not-found', `cannot read ${file}: ${err.message}`, { file });
  });
  if (!info.isFile()) throw new TtprobeError('invalid-input', `${file}: is ${kindOf(info)}, not a log file`, { file });
}

/** A file the command will write: a folder there, or a file on the way to it, is refused before anything runs. */
export async function requireFilePath(file: string, flag: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) throw new TtprobeError('invalid-input', `${flag} ${file}: is a folder, not a file`, { file, field: flag });
  await requireFolderPath(path.dirname(path.resolve(file)), flag);
}

/** A folder the command reads `member` from: a file, a missing folder or a missing member is named. */
export async function requireInputFolder(dir: string, flag: string, member: string, alternative?: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new TtprobeError('not-found', `${flag} ${dir}: no such folder`, { file: dir, field: flag });
  if (!info.isDirectory()) throw new TtprobeError('invalid-input', `${flag} ${dir}: is a file, not a folder`, { file: dir, field: flag });
  const inner = await stat(path.join(dir, member)).catch(() => null);
  const other = alternative ? await stat(path.join(dir, alternative)).catch(() => null) : null;
  if (other?.isDirectory()) return;
  if (!inner?.isFile()) throw new TtprobeError('invalid-input', `${flag} ${dir}: has no ${member} file${alternative ? ` and no ${alternative} folder` : ''}`, { file: path.join(dir, member), field: flag });
}
