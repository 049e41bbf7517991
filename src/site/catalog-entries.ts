import type { CatalogEntry } from '../schemas/catalog.js';
import { DEFAULT_CATALOG_FILE } from '../classify/catalog-file.js';
import { readCatalogText, rememberedCatalog } from '../classify/checked-catalog.js';

/**
 * The catalog entries the site draws (titles, links, unsupported ops): from the remembered check of
 * this exact catalog text when there is one (see checked-catalog.ts), else through the full check
 * (loadCatalog), which refuses a bad catalog and remembers a good one.
 */
export async function siteCatalogEntries(file: string = DEFAULT_CATALOG_FILE): Promise<CatalogEntry[]> {
  const remembered = await rememberedCatalog(await readCatalogText(file));
  if (remembered) return remembered.entries;
  const { loadCatalog } = await import('../classify/catalog.js');
  return (await loadCatalog(file)).entries;
}
