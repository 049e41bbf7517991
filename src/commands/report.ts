import { existsSync } from 'node:fs';
import path from 'node:path';
import { requireFolderPath } from './input-paths.js';
import { readRunRecord } from '../record/run-record.js';
import { RUN_RECORD } from '../record/paths.js';
import { runDirs } from '../site/collect.js';
import { TtprobeError } from '../errors.js';
import { writeReports } from '../report/write-reports.js';

/** How many runs the error lists before "...". */
const RUNS_NAMED = 10;

/** `report` on the folder that holds the runs (reports/runs) names what is inside rather than "no run.json". */
async function refuseFolderOfRuns(dir: string): Promise<void> {
  if (existsSync(path.join(dir, RUN_RECORD)) || !existsSync(dir)) return;
  const inside = (await runDirs(path.resolve(dir), 3).catch(() => [])).sort();
  if (!inside.length) return;
  const names = inside.map((d) => path.relative(path.resolve(dir), d));
  const shown = names.length > RUNS_NAMED ? [...names.slice(0, RUNS_NAMED), '...'] : names;
  throw new TtprobeError('usage', `${dir} is a folder of runs, not a run: it holds ${names.length} run(s): ${shown.join(', ')}; give one of them, e.g. ttprobe report ${path.join(dir, names.at(-1)!)}`, { file: dir });
}

export async function reportCommand(runDir: string, flags: { format: string; out?: string }, out: (s: string) => void) {
  if (flags.out) await requireFolderPath(flags.out, '--out');
  await refuseFolderOfRuns(runDir);
  const record = await readRunRecord(runDir);
  const formats = flags.format.split(',').map((f) => f.trim()).filter(Boolean);
  const written = await writeReports(runDir, record, { formats, outDir: flags.out });
  for (const file of written) out(`${file}\n`);
  return written;
}
