import { constants, createWriteStream, type Stats } from 'node:fs';
import { lstat, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Redactor, type Secret } from '../../environment/redact.js';

/**
 * Every file the runner reads from a probe's folder was written by the probe, which may have left a
 * symlink there (the runner would read, and rewrite, a file elsewhere) or a FIFO (opening one waits
 * for a writer, forever). These open only a regular file, never through a symlink, and never wait.
 */

export type ProbeFile =
  | { kind: 'file'; handle: FileHandle; size: number }
  | { kind: 'missing' }
  /** Why it was not read, as a phrase after the file's name: "is a FIFO, not a regular file; not read". */
  | { kind: 'refused'; why: string };

function kindOf(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** The phrase for a path that is not a regular file; null when it is one, or is missing. */
export async function notRegular(file: string): Promise<string | null> {
  const stat = await lstat(file).catch(() => null);
  if (!stat || stat.isFile()) return null;
  return stat.isSymbolicLink() ? 'is a symbolic link; not followed' : `is ${kindOf(stat)}, not a regular file; not read`;
}

export async function openProbeFile(file: string): Promise<ProbeFile> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO opens at once instead of waiting for a writer; it is refused just below.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'refused', why: (await notRegular(file)) ?? `could not be opened (${code ?? (err as Error).message})` };
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return { kind: 'refused', why: `is ${kindOf(stat)}, not a regular file; not read` };
  }
  return { kind: 'file', handle, size: stat.size };
}

/** Up to `max` bytes from the start of a probe-written file, or why it was not read. */
export async function readProbeFileHead(file: string, max: number): Promise<{ text: string | null; refused: string | null }> {
  const opened = await openProbeFile(file);
  if (opened.kind === 'missing') return { text: null, refused: null };
  if (opened.kind === 'refused') return { text: null, refused: opened.why };
  try {
    const buffer = Buffer.alloc(Math.min(max, opened.size));
    const { bytesRead } = await opened.handle.read(buffer, 0, buffer.length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), refused: null };
  } finally {
    await opened.handle.close();
  }
}

/**
 * Replaces a probe-written file with `data` by renaming a fresh file over it: a rename replaces the
 * name and never follows a symlink, and the fresh file is created exclusively (a planted one fails).
 */
export async function replaceProbeFile(file: string, data: string | NodeJS.ReadableStream): Promise<void> {
  const tmp = `${file}.ttprobe-${process.pid}`;
  await rm(tmp, { force: true });
  await writeFile(tmp, data, { flag: 'wx' });
  await rename(tmp, file);
}

/**
 * Rewrites an open probe file with secrets redacted, in bounded memory: a fresh file created
 * exclusively, then renamed over the name (neither follows a symlink the probe planted).
 */
export async function redactOpenFile(file: string, handle: FileHandle, secrets: Secret[]): Promise<void> {
  if (!secrets.length) return;
  const redactor = new Redactor(secrets);
  const tmp = `${file}.redacting`;
  await rm(tmp, { force: true });
  await pipeline(
    handle.createReadStream({ start: 0, autoClose: false }),
    new Transform({
      transform: (chunk: Buffer, _enc, done) => done(null, redactor.push(chunk)),
      flush: (done) => done(null, redactor.flush()),
    }),
    createWriteStream(tmp, { flags: 'wx' }),
  );
  await rename(tmp, file);
}

/** A probe-written file that stays in the run folder (stages.log), stored redacted like the logs; a link or FIFO is left alone. */
export async function redactProbeFile(file: string, secrets: Secret[]): Promise<void> {
  if (!secrets.length) return;
  const opened = await openProbeFile(file);
  if (opened.kind !== 'file') return;
  try {
    await redactOpenFile(file, opened.handle, secrets);
  } finally {
    await opened.handle.close();
  }
}
