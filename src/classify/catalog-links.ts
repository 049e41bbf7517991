import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOG_FILE } from './catalog-file.js';
import { TtprobeError, invalidInput } from '../errors.js';

interface CatalogLinks {
  entries: Array<{ id: string; links: string[] }>;
}

const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** What compare reads of the catalog, checked by hand: each entry's id and its links, or null when anything is off. */
function linksOf(json: unknown): CatalogLinks | null {
  const entries = (json as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) return null;
  const out: CatalogLinks['entries'] = [];
  for (const e of entries) {
    if (!e || typeof e !== 'object' || typeof e.id !== 'string') return null;
    if (e.links !== undefined && !isStrings(e.links)) return null;
    out.push({ id: e.id, links: e.links ?? [] });
  }
  return { entries: out };
}

/**
 * Upstream issue links by catalog id. Loading the whole catalog (every pattern compiled and checked
 * for catastrophic backtracking) would cost `compare` more than the rest of the command.
 */
export async function catalogLinks(file: string = DEFAULT_CATALOG_FILE): Promise<Map<string, string[]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read catalog ${file}: ${(err as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidInput(file, '', `not valid JSON: ${(err as Error).message}`);
  }
  // No ajv, and zod only to name what is wrong: their start-up is what this light reader exists to
  // avoid. `catalog check` reports every field.
  let links = linksOf(json);
  if (!links) {
    const { z } = await import('zod');
    const CatalogLinks = z.object({ entries: z.array(z.object({ id: z.string(), links: z.array(z.string()).default([]) })) });
    const parsed = CatalogLinks.safeParse(json);
    if (!parsed.success) throw invalidInput(file, parsed.error.issues[0]!.path.join('.'), parsed.error.issues[0]!.message);
    links = parsed.data;
  }
  const { entries } = links;
  return new Map(entries.filter((e) => e.links.length).map((e) => [e.id, e.links]));
}
