import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { RunRecord } from '../schemas/run-record.js';
import { loadCatalog } from '../classify/catalog.js';
import { TtprobeError } from '../errors.js';
import { buildView } from './view.js';
import type { Reporter } from './reporter.js';
import { htmlReporter } from './html.js';
import { markdownReporter } from './markdown.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';

export const REPORTERS: Reporter[] = [htmlReporter, markdownReporter, jsonReporter, junitReporter];

export interface WriteReportsOptions {
  formats: string[];
  outDir?: string;
  onError?: (format: string, err: Error) => void;
}

/** Renders every requested format; one reporter failing does not stop the others. */
export async function writeReports(runDir: string, record: RunRecord, opts: WriteReportsOptions): Promise<string[]> {
  const unknown = opts.formats.filter((f) => !REPORTERS.some((r) => r.format === f));
  if (unknown.length) {
    throw new TtprobeError('usage', `unknown report format(s): ${unknown.join(', ')}; known: ${REPORTERS.map((r) => r.format).join(', ')}`);
  }
  const outDir = path.resolve(opts.outDir ?? path.join(runDir, 'report'));
  await mkdir(outDir, { recursive: true });
  const catalog = await loadCatalog().catch(() => null);
  const view = buildView(record, path.resolve(runDir), outDir, catalog?.entries ?? []);
  const written: string[] = [];
  for (const reporter of REPORTERS.filter((r) => opts.formats.includes(r.format))) {
    try {
      const file = path.join(outDir, reporter.fileName);
      await writeFileAtomic(file, reporter.render(view));
      written.push(file);
    } catch (err) {
      (opts.onError ?? ((f, e) => process.stderr.write(`ttprobe: ${f} report failed: ${e.message}\n`)))(reporter.format, err as Error);
    }
  }
  return written;
}
