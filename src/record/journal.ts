import { createHmac, timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { appendFile, open, readFile, type FileHandle } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { Outcome } from '../schemas/outcome.js';
import { JOURNAL, inside } from './paths.js';
import { readRunKey } from './run-key.js';

const macOf = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('hex');

/** One journal line: the outcome's JSON with a `mac` over it, so lines the runner did not write are known. */
function signedLine(key: Buffer, outcome: Outcome): string {
  const body = JSON.stringify(outcome);
  return `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}"mac":"${macOf(key, body)}"}\n`;
}

export interface JournalRead {
  outcomes: Outcome[];
  /** Lines that could not be read back, e.g. the torn last line of a run killed mid-write. */
  skippedLines: number;
  /** Lines whose mac is missing or wrong: the runner did not write them. */
  unsignedLines: number;
  /** Signed lines with no run.key to check them: nothing in the journal can be trusted. */
  keyLost: boolean;
  /** Verified lines for a probe already read (a copy re-appended): each probe counts once. */
  repeatedLines: number;
}

/**
 * Reads the journal, counting only lines signed with the run's key. A run of an older ttprobe (no key,
 * no macs) is read as it is; a journal with macs but no key has lost its key and none of it counts.
 */
export async function readJournal(runDir: string): Promise<JournalRead> {
  const read: JournalRead = { outcomes: [], skippedLines: 0, unsignedLines: 0, keyLost: false, repeatedLines: 0 };
  const seen = new Set<string>();
  let text = '';
  try {
    text = await readFile(inside(runDir, JOURNAL), 'utf8');
  } catch {
    return read;
  }
  const key = await readRunKey(runDir);
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(line) as Record<string, unknown>;
    } catch {
      read.skippedLines++;
      continue;
    }
    const { mac, ...body } = json;
    if (key === null && mac !== undefined) read.keyLost = true;
    const legacy = key === null && mac === undefined;
    if (!legacy) {
      const expected = key && typeof mac === 'string' ? Buffer.from(macOf(key, JSON.stringify(body)), 'hex') : null;
      const given = typeof mac === 'string' ? Buffer.from(mac, 'hex') : null;
      if (!expected || !given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        read.unsignedLines++;
        continue;
      }
    }
    const parsed = Outcome.safeParse(body);
    if (!parsed.success) read.skippedLines++;
    else if (seen.has(parsed.data.probe)) read.repeatedLines++;
    else {
      seen.add(parsed.data.probe);
      read.outcomes.push(parsed.data);
    }
  }
  return read;
}

/**
 * What identifies the file as the runner left it: inode, size, and the change time, which a write
 * moves and no one but root can set back. Checked after each probe instead of reading the whole
 * journal, so the check does not grow with the run.
 */
async function stampOf(file: string): Promise<string | null> {
  // Synchronous: one lstat, checked between one probe and the next, where a thread-pool trip costs more.
  const s = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
}

/**
 * The runner's journal: one descriptor held for the whole run (not inherited by probes), one fsynced
 * line per finished probe, and the exact bytes written kept in memory. `restore` puts those bytes back
 * when anything else changed the file, so what a probe appended is neither counted nor able to tear
 * the runner's next line.
 */
export class JournalWriter {
  private lines: string[] = [];
  private bytes = 0;
  private stamp: string | null = null;
  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private handle: FileHandle,
    readonly outcomes: Outcome[],
  ) {}

  /** Starts from `outcomes` (those read back on resume), rewriting the journal signed with `key`. */
  static async open(runDir: string, key: Buffer, outcomes: Outcome[] = []): Promise<JournalWriter> {
    const file = inside(runDir, JOURNAL);
    const lines = outcomes.map((o) => signedLine(key, o));
    await writeFileAtomic(file, lines.join(''));
    const writer = new JournalWriter(file, key, await open(file, 'a'), [...outcomes]);
    writer.lines = lines;
    writer.bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
    writer.stamp = await stampOf(file);
    return writer;
  }

  async append(outcome: Outcome): Promise<void> {
    const line = signedLine(this.key, outcome);
    // Changed since the runner's last write: a probe's bytes must not be stamped as the runner's.
    const touched = (await stampOf(this.file)) !== this.stamp;
    await this.handle.write(line);
    await this.handle.datasync();
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line);
    this.outcomes.push(outcome);
    const stamp = await stampOf(this.file);
    // The size says whether anything but this line landed since: if so, leave the stamp stale.
    this.stamp = !touched && stamp?.split(':')[2] === String(this.bytes) ? stamp : null;
  }

  /** True when the file was not what the runner wrote; it is then rewritten from memory. */
  async restore(): Promise<boolean> {
    if (this.stamp !== null && (await stampOf(this.file)) === this.stamp) return false;
    const expected = this.lines.join('');
    const actual = await readFile(this.file, 'utf8').catch(() => null);
    if (actual !== expected) {
      await this.handle.close();
      await writeFileAtomic(this.file, expected);
      this.handle = await open(this.file, 'a');
    }
    this.stamp = await stampOf(this.file);
    return actual !== expected;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export const TORN_TAIL = 'journal.torn';

/**
 * A crash mid-append leaves a last line without its newline; the next append would glue a whole
 * outcome onto it and both would be lost. Cut the torn bytes off (appending them to journal.torn,
 * for whoever wants to look) before anything else is written. Returns how many bytes were cut.
 */
export async function cutTornTail(runDir: string): Promise<number> {
  let handle;
  try {
    handle = await open(inside(runDir, JOURNAL), 'r+');
  } catch {
    return 0;
  }
  try {
    const data = await handle.readFile();
    if (!data.length || data[data.length - 1] === 0x0a) return 0;
    const keep = data.lastIndexOf(0x0a) + 1;
    const torn = data.subarray(keep);
    await appendFile(inside(runDir, TORN_TAIL), torn);
    await handle.truncate(keep);
    await handle.datasync();
    return torn.length;
  } finally {
    await handle.close();
  }
}
