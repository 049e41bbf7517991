import { open, stat } from 'node:fs/promises';
import { STAGES, type Stage } from '../../schemas/stage.js';

/** Where the probe's stages go (beside result.json) and where tt-xla writes its own (the probe's working directory). */
export const STAGE_FILE = 'stages.log';
export const BRINGUP_STAGE_FILE = '._bringup_stage.txt';

/** A stage file is a handful of short lines; a larger one is read only this far. */
const MAX_STAGE_BYTES = 64 * 1024;
const KNOWN = new Set<string>(STAGES);
const MARKER = /^[A-Z][A-Z0-9_]{0,63}$/;

async function readHead(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(MAX_STAGE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_STAGE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export interface StageLines {
  sequence: Stage[];
  /** Lines that named no stage (a torn last line after a crash, or a probe's typo); never echoed, they may hold anything. */
  ignored: number;
}

/** The stages a probe wrote, one name a line, in the order written. A missing file is no stages. */
export async function readStageFile(file: string): Promise<StageLines> {
  const text = await readHead(file);
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const sequence = lines.filter((l): l is Stage => KNOWN.has(l));
  return { sequence, ignored: lines.length - sequence.length };
}

/**
 * tt-xla's marker: the PJRT plugin truncates and rewrites the file at each stage, so it holds the
 * last one (`TTMLIR_COMPILATION_START\n`). Anything that is not a marker-shaped word is ignored.
 */
export async function readBringupStage(file: string): Promise<string | null> {
  const text = await readHead(file);
  const last = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  return last && MARKER.test(last) ? last : null;
}

/** When `file` was last written (ms since the epoch), or null when it is not there. */
export async function writtenAt(file: string): Promise<number | null> {
  return stat(file).then((s) => s.mtimeMs, () => null);
}
