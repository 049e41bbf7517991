import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { ttprobeCacheDir } from '../paths.js';
import { TOOL_VERSION } from '../version.js';
import { CompactRuns, decodeRuns, encodeRuns, type Packed } from './cache-codec.js';
import type { SiteRun } from './site-run.js';

/**
 * The site's run-record cache: one summary per run.json, keyed on the file's path and its stat
 * identity (size, mtime and ctime in nanoseconds, inode), so a record rewritten by reclassify,
 * resume or merge (atomic writes give it a new inode and times) is read again. The file is a
 * header line with an HMAC-SHA256 of the body, then the body; a cache whose mac, format or schema does
 * not check out is ignored as a whole and rebuilt from the records. The mac's key is per install and
 * lives outside the site (a cache published with it could be edited and its plain hash recomputed).
 */

const FORMAT = 'ttprobe-site-cache';
const FORMAT_VERSION = 2;

const Header = z.object({ format: z.literal(FORMAT), version: z.literal(FORMAT_VERSION), tool: z.string(), hmac: z.string() });
const Body = z.object({ files: z.array(z.object({ file: z.string(), key: z.string() })), runs: CompactRuns });

export interface CacheEntry {
  key: string;
  run: SiteRun;
}

export interface LoadedCache {
  entries: Map<string, CacheEntry>;
  /** Why an existing cache was not used; null when it was, or when there was none. */
  problem: string | null;
}

/** Whether `line` is a cache header of any version: what marks a file as one this tool wrote. */
export function isCacheHeader(line: string): boolean {
  try {
    return (JSON.parse(line) as { format?: unknown } | null)?.format === FORMAT;
  } catch {
    return false;
  }
}

export { ttprobeCacheDir };

const keyFile = () => path.join(ttprobeCacheDir(), 'site-cache.key');

/** The install's key, made on first use; null when it can be neither read nor made (no cache then). */
async function cacheKey(): Promise<Buffer | null> {
  const file = keyFile();
  const read = async () => {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    return key.length >= 16 ? key : null;
  };
  try {
    return await read();
  } catch {
    try {
      await mkdir(path.dirname(file), { recursive: true });
      // 'wx': two site builds making it at once keep whichever came first.
      await writeFile(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' }).catch(() => undefined);
      return await read();
    } catch {
      return null;
    }
  }
}

/**
 * Each run decoded from a cache, with its encoded form: a nightly build adds one run to a thousand,
 * and re-encoding the thousand was a tenth of it. `tables` counts the runs decoded from each table.
 */
const packedRuns = new WeakMap<SiteRun, Packed>();
const tables = new WeakMap<string[], number>();

const macOf = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('hex');

export async function loadCache(file: string): Promise<LoadedCache> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { entries: new Map(), problem: null };
  }
  const ignored = (why: string): LoadedCache => ({ entries: new Map(), problem: `run-record cache ${file} ignored (${why}); rebuilt from the run records` });
  const newline = text.indexOf('\n');
  if (newline < 0) return ignored('no header line');
  let header: z.infer<typeof Header>;
  try {
    const parsed = Header.safeParse(JSON.parse(text.slice(0, newline)));
    if (!parsed.success) return ignored('not a ttprobe site cache of this format');
    header = parsed.data;
  } catch {
    return ignored('header is not JSON');
  }
  // Summaries depend on the code that made them: another ttprobe version rebuilds them.
  if (header.tool !== TOOL_VERSION) return { entries: new Map(), problem: null };
  const body = text.slice(newline + 1);
  const key = await cacheKey();
  if (!key) return ignored(`no key at ${keyFile()}`);
  if (macOf(key, body) !== header.hmac) return ignored('mac mismatch: not written by this install, or edited');
  let parsed;
  try {
    parsed = Body.safeParse(JSON.parse(body));
  } catch {
    return ignored('body is not JSON');
  }
  if (!parsed.success) return ignored(`field '${parsed.error.issues[0]!.path.join('.')}': ${parsed.error.issues[0]!.message}`);
  const { files, runs: compact } = parsed.data;
  let runs: SiteRun[];
  try {
    runs = decodeRuns(compact);
  } catch (err) {
    return ignored(`does not decode: ${(err as Error).message}`);
  }
  if (runs.length !== files.length) return ignored('runs and files differ in number');
  runs.forEach((run, i) => packedRuns.set(run, { strings: compact.strings, run: compact.runs[i]! }));
  tables.set(compact.strings, runs.length);
  return { entries: new Map(files.map((f, i) => [f.file, { key: f.key, run: runs[i]! }])), problem: null };
}

export async function saveCache(file: string, entries: Map<string, CacheEntry>): Promise<void> {
  const list = [...entries];
  const runs = list.map(([, e]) => e.run);
  // Encoded runs are reused only when every run of their table is saved again: the table then holds no unused string.
  const table = runs.map((r) => packedRuns.get(r)).find(Boolean)?.strings;
  const whole = table !== undefined && runs.filter((r) => packedRuns.get(r)?.strings === table).length === tables.get(table);
  const body = JSON.stringify({ files: list.map(([file, e]) => ({ file, key: e.key })), runs: encodeRuns(runs, whole ? (r) => packedRuns.get(r) : undefined) });
  const key = await cacheKey();
  if (!key) return;
  const header = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, tool: TOOL_VERSION, hmac: macOf(key, body) });
  await writeFileAtomic(file, `${header}\n${body}`);
}
