import { statSync } from 'node:fs';
import { STAGES, type Stage } from '../../schemas/stage.js';
import { KNOWN_COMPILER_MARKERS } from '../../classify/stage.js';
import { readProbeFileHead } from './probe-file.js';

/** Where the probe's stages go (beside result.json) and where tt-xla writes its own (the probe's working directory). */
export const STAGE_FILE = 'stages.log';
export const BRINGUP_STAGE_FILE = '._bringup_stage.txt';

/** A stage file is a handful of short lines; a larger one is read only this far. */
const MAX_STAGE_BYTES = 64 * 1024;
const KNOWN = new Set<string>(STAGES);
/** What is stored for a bring-up file holding anything but a marker tt-xla writes: its text may be anything. */
export const UNRECOGNISED_MARKER = 'unrecognised marker';

export interface StageLines {
  sequence: Stage[];
  /** Lines that named no stage (a torn last line after a crash, or a probe's typo); never echoed, they may hold anything. */
  ignored: number;
  /** Why the file was not read (a symlink or a FIFO the probe left); null when it was, or was missing. */
  refused: string | null;
}

/** The stages a probe wrote, one name a line, in the order written. A missing file is no stages. */
export async function readStageFile(file: string): Promise<StageLines> {
  const { text, refused } = await readProbeFileHead(file, MAX_STAGE_BYTES);
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const sequence = lines.filter((l): l is Stage => KNOWN.has(l));
  return { sequence, ignored: lines.length - sequence.length, refused };
}

/**
 * tt-xla's marker: the PJRT plugin truncates and rewrites the file at each stage, so it holds the
 * last one (`TTMLIR_COMPILATION_START\n`). Only the words tt-xla writes are kept; any other text
 * (which the probe controls, and which is stored and published) becomes UNRECOGNISED_MARKER.
 */
export async function readBringupStage(file: string): Promise<{ marker: string | null; refused: string | null }> {
  const { text, refused } = await readProbeFileHead(file, MAX_STAGE_BYTES);
  const last = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  if (!last) return { marker: null, refused };
  return { marker: KNOWN_COMPILER_MARKERS.has(last) ? last : UNRECOGNISED_MARKER, refused };
}

/** When `file` was last written (ms since the epoch), or null when it is not there. */
export async function writtenAt(file: string): Promise<number | null> {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? null;
}
