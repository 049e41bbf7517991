import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Catalog } from '../schemas/catalog.js';
import { PACKAGE_ROOT, ttprobeCacheDir } from '../paths.js';
import { TOOL_VERSION } from '../version.js';
import { TtprobeError } from '../errors.js';

/** Bumped when what is remembered changes shape, so an older cache entry is checked again. */
const REMEMBERED_FORMAT = 'checked-catalog-2';

export interface CatalogText {
  file: string;
  text: string;
  /** Where a catalog that passed the full check is remembered; null when that cannot be known. */
  remembered: string | null;
}

export async function readCatalogText(file: string): Promise<CatalogText> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read catalog ${file}: ${(err as Error).message}`, { file });
  }
  const schema = await readFile(path.join(PACKAGE_ROOT, 'schemas', 'catalog.schema.json'), 'utf8').catch(() => null);
  const digest = schema === null ? null : createHash('sha256').update(`${REMEMBERED_FORMAT}\0${TOOL_VERSION}\0${schema}\0${text}`).digest('hex');
  return { file, text, remembered: digest ? path.join(ttprobeCacheDir(), 'checked-catalogs', `${digest}.json`) : null };
}

/**
 * The full check of a catalog (ajv, zod, every pattern compiled and checked for backtracking
 * hazards) costs a quarter of a second, on every run, classify and site build, and the catalog rarely
 * changes between them: a catalog that passed it is remembered in the user's cache folder by the
 * SHA-256 of its text, of this ttprobe's version and of the catalog's JSON Schema (so a changed
 * schema or default checks again). Any other text goes through the full check, which refuses a bad
 * catalog as before.
 */
export async function rememberedCatalog(source: CatalogText): Promise<Catalog | null> {
  if (!source.remembered) return null;
  const parsed = await readFile(source.remembered, 'utf8').then((t) => JSON.parse(t) as { catalog?: Catalog }, () => null);
  const catalog = parsed?.catalog;
  return catalog && typeof catalog.version === 'string' && Array.isArray(catalog.entries) ? catalog : null;
}

/** Best effort: a cache folder that cannot be written means the full check again next time, nothing worse. */
export async function rememberCatalog(source: CatalogText, catalog: Catalog): Promise<void> {
  if (!source.remembered) return;
  const temp = `${source.remembered}.${process.pid}.tmp`;
  await mkdir(path.dirname(source.remembered), { recursive: true })
    .then(() => writeFile(temp, JSON.stringify({ file: path.resolve(source.file), catalog })))
    .then(() => rename(temp, source.remembered!))
    .catch(() => undefined);
}
