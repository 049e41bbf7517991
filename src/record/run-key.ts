import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { inside } from './paths.js';

/**
 * The per-run secret that signs each journal line. A probe runs as the same user and could read it;
 * what it stops is a probe (or a stray script) appending plausible lines. The live runner does not
 * need it at all: it keeps what it wrote in memory and restores the journal after each probe.
 */
export const RUN_KEY = 'run.key';

export async function readRunKey(runDir: string): Promise<Buffer | null> {
  try {
    const key = Buffer.from((await readFile(inside(runDir, RUN_KEY), 'utf8')).trim(), 'hex');
    return key.length >= 16 ? key : null;
  } catch {
    return null;
  }
}

export async function createRunKey(runDir: string): Promise<Buffer> {
  const key = randomBytes(32);
  await writeFile(inside(runDir, RUN_KEY), key.toString('hex') + '\n', { mode: 0o600 });
  return key;
}
