import { open, readFile } from 'node:fs/promises';
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
