import { appendFile, open, readFile } from 'node:fs/promises';
import { Outcome } from '../schemas/outcome.js';
import { JOURNAL, inside } from './paths.js';

/** One outcome per line, flushed to disk before the next probe starts: a killed run loses nothing finished. */
export async function appendOutcome(runDir: string, outcome: Outcome): Promise<void> {
  const handle = await open(inside(runDir, JOURNAL), 'a');
  try {
    await handle.write(JSON.stringify(outcome) + '\n');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export interface JournalRead {
  outcomes: Outcome[];
  /** Lines that could not be read back, e.g. the torn last line of a run killed mid-write. */
  skippedLines: number;
}

export async function readJournal(runDir: string): Promise<JournalRead> {
  let text = '';
  try {
    text = await readFile(inside(runDir, JOURNAL), 'utf8');
  } catch {
    return { outcomes: [], skippedLines: 0 };
  }
  const outcomes: Outcome[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      outcomes.push(Outcome.parse(JSON.parse(line)));
    } catch {
      skippedLines++;
    }
  }
  return { outcomes, skippedLines };
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
