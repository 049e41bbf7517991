import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogEntry } from '../schemas/catalog.js';
import { DEFAULT_CATALOG_FILE } from '../classify/catalog-file.js';
import { PACKAGE_ROOT, ttprobeCacheDir } from '../paths.js';
import { TOOL_VERSION } from '../version.js';
import { TtprobeError } from '../errors.js';

/**
 * The catalog entries the site draws (titles, links, unsupported ops). The full check (ajv, zod, every
 * pattern compiled and checked for backtracking hazards) is a fifth of a nightly site build, and
 * the catalog rarely changes between nights: a catalog that passed it is remembered in the user's cache
 * folder by the SHA-256 of its text, of this ttprobe's version and of the catalog's JSON Schema (so
 * a changed schema or default checks again), and the site takes the checked entries from there.
 * Other text goes through the full check, which refuses a bad catalog as before.
 */
export async function siteCatalogEntries(file: string = DEFAULT_CATALOG_FILE): Promise<CatalogEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read catalog ${file}: ${(err as Error).message}`, { file });
  }
  const schema = await readFile(path.join(PACKAGE_ROOT, 'schemas', 'catalog.schema.json'), 'utf8').catch(() => null);
  const digest = schema === null ? null : createHash('sha256').update(`${TOOL_VERSION}\0${schema}\0${text}`).digest('hex');
  const remembered = digest ? path.join(ttprobeCacheDir(), 'checked-catalogs', `${digest}.json`) : null;
  if (remembered) {
    const entries = await readFile(remembered, 'utf8').then((t) => (JSON.parse(t) as { entries?: unknown }).entries, () => null);
    if (Array.isArray(entries)) return entries as CatalogEntry[];
  }
  const { loadCatalog } = await import('../classify/catalog.js');
  const { entries } = await loadCatalog(file);
  // Best effort: a cache folder that cannot be written means the full check again next time, nothing worse.
  if (remembered) {
    const temp = `${remembered}.${process.pid}.tmp`;
    await mkdir(path.dirname(remembered), { recursive: true })
      .then(() => writeFile(temp, JSON.stringify({ catalog: path.resolve(file), entries })))
      .then(() => rename(temp, remembered))
      .catch(() => undefined);
  }
  return entries;
}

