import path from 'node:path';
import { TtprobeError } from '../errors.js';

export const RUN_RECORD = 'run.json';
export const JOURNAL = 'journal.jsonl';

/** Joins under `root` and refuses anything that would land outside it (ids and artifact names are untrusted). */
export function inside(root: string, ...segments: string[]): string {
  const resolvedRoot = path.resolve(root);
  const target = path.resolve(resolvedRoot, ...segments);
  if (target !== resolvedRoot && !target.startsWith(resolvedRoot + path.sep)) {
    throw new TtprobeError('invalid-input', `path ${segments.join('/')} escapes ${resolvedRoot}`);
  }
  return target;
}

export function probeDir(runDir: string, probeId: string, attempt = 1): string {
  return inside(runDir, 'probes', attempt > 1 ? `${probeId}.attempt${attempt}` : probeId);
}

export function newRunId(now: Date, tier: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${tier}-${Math.random().toString(36).slice(2, 6)}`;
}
