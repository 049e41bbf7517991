import { closeSync, constants, createWriteStream, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
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

/**
 * The phrase for a path that is not a regular file; null when it is one, or is missing.
 * Synchronous inside, like readProbeFileHead: a single lstat takes microseconds, and the runner reads
 * these between one probe and the next, where a trip through the thread pool costs more than that.
 */
export async function notRegular(file: string): Promise<string | null> {
  return notRegularNow(file);
}

function notRegularNow(file: string): string | null {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat || stat.isFile()) return null;
  return stat.isSymbolicLink() ? 'is a symbolic link; not followed' : `is ${kindOf(stat)}, not a regular file; not read`;
}

/** Opens only a regular file, never through a symlink, and never waits (O_NONBLOCK: a FIFO opens at once and is refused). */
const PROBE_FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export async function openProbeFile(file: string): Promise<ProbeFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, PROBE_FILE_FLAGS);
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

/** What a bounded read of a probe-written file found: its first bytes and its whole size, or why it was not read. */
export type ProbeFileHead = { kind: 'file'; bytes: Buffer; size: number } | { kind: 'missing' } | { kind: 'refused'; why: string };

/** Up to `max` bytes from the start of a probe-written file (synchronous: see notRegular). */
export function readProbeFileHeadNow(file: string, max: number): ProbeFileHead {
  let fd: number;
  try {
    fd = openSync(file, PROBE_FILE_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'refused', why: notRegularNow(file) ?? `could not be opened (${code ?? (err as Error).message})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'refused', why: `is ${kindOf(stat)}, not a regular file; not read` };
    const bytes = Buffer.alloc(Math.min(max, stat.size));
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { kind: 'file', bytes: bytes.subarray(0, read), size: stat.size };
  } finally {
    closeSync(fd);
  }
}

/** Up to `max` bytes from the start of a probe-written file, or why it was not read. */
export async function readProbeFileHead(file: string, max: number): Promise<{ text: string | null; refused: string | null }> {
  const head = readProbeFileHeadNow(file, max);
  if (head.kind === 'missing') return { text: null, refused: null };
  if (head.kind === 'refused') return { text: null, refused: head.why };
  return { text: head.bytes.toString('utf8'), refused: null };
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
  if (!secrets.length || !lstatSync(file, { throwIfNoEntry: false })) return;
  const opened = await openProbeFile(file);
  if (opened.kind !== 'file') return;
  try {
    await redactOpenFile(file, opened.handle, secrets);
  } finally {
    await opened.handle.close();
  }
}
