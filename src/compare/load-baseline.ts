import { readFile, stat } from 'node:fs/promises';
import { Baseline } from '../schemas/baseline.js';
import { parseJsonFile, validateDocument } from '../schemas/validate.js';
import { readRunRecord } from '../record/run-record.js';
import { TtprobeError } from '../errors.js';
import { baselineFromRun } from './baseline.js';

/** A baseline file, or a run directory to take one from. */
export async function loadBaseline(fileOrRun: string): Promise<Baseline> {
  const info = await stat(fileOrRun).catch(() => null);
  if (!info) throw new TtprobeError('not-found', `baseline ${fileOrRun} does not exist`, { file: fileOrRun });
  if (info.isDirectory()) return baselineFromRun(await readRunRecord(fileOrRun));
  return await validateDocument(Baseline, await parseJsonFile(await readFile(fileOrRun, 'utf8'), fileOrRun), fileOrRun);
}

