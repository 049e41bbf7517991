import { createHash } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import path from 'node:path';
import { TtprobeError } from '../errors.js';
import { realPathOf } from './out-dir.js';
import { isCacheHeader, ttprobeCacheDir } from './run-cache.js';

/**
 * Where a site's cache lives when --cache names no other: outside the site, which is published
 * (`$TTPROBE_CACHE_DIR/site/<out's name>-<hash of out's real path>.ttprobe-cache.json`), one per output
 * folder so two sites never share or overwrite one.
 */
export function defaultCacheFile(realOut: string): string {
  const hash = createHash('sha256').update(realOut).digest('hex').slice(0, 16);
  return path.join(ttprobeCacheDir(), 'site', `${path.basename(realOut)}-${hash}.ttprobe-cache.json`);
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + path.sep);

/** The first line of `file`, read no further than a header can reach. */
async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return text.slice(0, Math.max(0, text.indexOf('\n')));
  } finally {
    await handle.close();
  }
}

/**
 * Refuses a --cache that saving would turn into data loss: one inside the runs folder (a run.json
 * there would be replaced) and an existing file that does not start with the cache's own header
 * (someone else's file). Guarded as --out is; touches nothing; returns the real path to use.
 */
export async function checkCacheFile(cache: string, runsDir: string): Promise<string> {
  const shown = path.resolve(cache);
  const real = await realPathOf(cache);
  if (within(real, await realPathOf(runsDir))) {
    throw new TtprobeError('invalid-input', `${shown}: --cache is inside the runs folder ${path.resolve(runsDir)}; choose a file outside it`, { file: shown });
  }
  const stat = await lstat(real).catch(() => null);
  if (!stat) return real;
  const header = stat.isFile() ? await firstLine(real).catch(() => '') : '';
  if (!isCacheHeader(header)) {
    throw new TtprobeError('invalid-input', `${shown}: is not a run-record cache ttprobe wrote (${stat.isFile() ? 'no cache header on its first line' : 'not a file'}); name a new file or remove it`, { file: shown });
  }
  return real;
}
