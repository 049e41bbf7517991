import { requireFolderPath } from './input-paths.js';
import { readRunRecord } from '../record/run-record.js';
import { writeReports } from '../report/write-reports.js';

export async function reportCommand(runDir: string, flags: { format: string; out?: string }, out: (s: string) => void) {
  if (flags.out) await requireFolderPath(flags.out, '--out');
  const record = await readRunRecord(runDir);
  const formats = flags.format.split(',').map((f) => f.trim()).filter(Boolean);
  const written = await writeReports(runDir, record, { formats, outDir: flags.out });
  for (const file of written) out(`${file}\n`);
  return written;
}
