import { DEFAULT_CATALOG_FILE } from './catalog-file.js';
import { Catalog, type CatalogEntry } from '../schemas/catalog.js';
import { parseJsonFile, validateDocument } from '../schemas/validate.js';
import { invalidInput } from '../errors.js';
import { regexHazard } from './regex-safety.js';
import { readCatalogText, rememberCatalog, rememberedCatalog } from './checked-catalog.js';

export const DEFAULT_CATALOG = DEFAULT_CATALOG_FILE;

export interface CompiledPattern {
  entry: CatalogEntry;
  regex: RegExp;
  source: 'any' | 'stdout' | 'stderr' | 'message' | 'throw-site';
  scope: 'line' | 'error-statement';
}

export interface LoadedCatalog {
  file: string;
  version: string;
  entries: CatalogEntry[];
  patterns: CompiledPattern[];
}

/** `checked`: this exact text passed the full check before, so the hazard check is not run again. */
export function compileCatalog(catalog: Catalog, file: string, checked = false): LoadedCatalog {
  const seen = new Set<string>();
  const patterns: CompiledPattern[] = [];
  catalog.entries.forEach((entry, i) => {
    if (seen.has(entry.id)) throw invalidInput(file, `entries[${i}].id`, `duplicate id '${entry.id}'`);
    seen.add(entry.id);
    entry.patterns.forEach((p, j) => {
      let regex: RegExp;
      try {
        regex = new RegExp(p.regex, p.flags);
      } catch (err) {
        throw invalidInput(file, `entries[${i}].patterns[${j}].regex`, (err as Error).message);
      }
      // One exponential pattern would let a single log line hang classification.
      const hazard = checked ? null : regexHazard(p.regex, p.flags);
      if (hazard) throw invalidInput(file, `entries[${i}].patterns[${j}].regex`, hazard);
      patterns.push({ entry, regex, source: p.source, scope: p.scope });
    });
  });
  return { file, version: catalog.version, entries: catalog.entries, patterns };
}

export async function loadCatalog(file: string = DEFAULT_CATALOG): Promise<LoadedCatalog> {
  const source = await readCatalogText(file);
  const remembered = await rememberedCatalog(source);
  if (remembered) return compileCatalog(remembered, file, true);
  const catalog = await validateDocument(Catalog, await parseJsonFile(source.text, file), file);
  const loaded = compileCatalog(catalog, file);
  await rememberCatalog(source, catalog);
  return loaded;
}

/** Ops the catalog says TT-XLA cannot legalize, each with the entry that says so. */
export function unsupportedOps(catalog: LoadedCatalog): Map<string, string> {
  const ops = new Map<string, string>();
  for (const entry of catalog.entries) for (const op of entry.unsupportedOps) if (!ops.has(op)) ops.set(op, entry.id);
  return ops;
}
