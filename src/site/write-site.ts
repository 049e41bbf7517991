import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog } from '../classify/catalog.js';
import { renderTemplate } from '../report/handlebars.js';
import { collectRuns } from './collect.js';
import { buildSiteModel, slug } from './model.js';

export interface SiteResult {
  outDir: string;
  pages: number;
  runs: number;
  skipped: string[];
}

/**
 * Renders the site into a fresh folder beside `outDir` and swaps it in, so readers never see a
 * half-written site and a failed render leaves the previous one in place.
 */
export async function writeSite(runsDir: string, outDir: string, catalogFile?: string): Promise<SiteResult> {
  const out = path.resolve(outDir);
  const { runs, problems } = await collectRuns(runsDir);
  const catalog = await loadCatalog(catalogFile);
  const model = buildSiteModel(runs, catalog.entries, out, problems);

  const staging = `${out}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const sub of ['probes', 'ops', 'signatures']) await mkdir(path.join(staging, sub), { recursive: true });
  const pages: Array<[string, string]> = [['index.html', renderTemplate('site-index', model)]];
  for (const p of model.probes) pages.push([`probes/${slug(p.id)}.html`, renderTemplate('site-probe', p)]);
  for (const o of model.ops) pages.push([`ops/${slug(o.op)}.html`, renderTemplate('site-op', o)]);
  for (const s of model.signatures) pages.push([`signatures/${slug(s.signature)}.html`, renderTemplate('site-signature', s)]);
  try {
    await Promise.all(pages.map(([file, html]) => writeFile(path.join(staging, file), html)));
    const previous = `${out}.previous-${process.pid}`;
    await rename(out, previous).catch(() => undefined);
    await mkdir(path.dirname(out), { recursive: true });
    await rename(staging, out);
    await rm(previous, { recursive: true, force: true });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return { outDir: out, pages: pages.length, runs: runs.length, skipped: problems };
}
