import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_CATALOG_FILE } from './catalog-file.js';
import { TtprobeError, invalidInput } from '../errors.js';

/** What compare reads of the catalog: each entry's id and where it is filed upstream, nothing compiled. */
const CatalogLinks = z.object({ entries: z.array(z.object({ id: z.string(), links: z.array(z.string()).default([]) })) });

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
  let parsed;
  try {
    parsed = CatalogLinks.safeParse(JSON.parse(text));
  } catch (err) {
    throw invalidInput(file, '', `not valid JSON: ${(err as Error).message}`);
  }
  // zod alone: ajv's start-up is what this light reader exists to avoid. `catalog check` reports every field.
  if (!parsed.success) throw invalidInput(file, parsed.error.issues[0]!.path.join('.'), parsed.error.issues[0]!.message);
  const { entries } = parsed.data;
  return new Map(entries.filter((e) => e.links.length).map((e) => [e.id, e.links]));
}
