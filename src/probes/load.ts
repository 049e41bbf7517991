import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProbeManifest, type LoadedProbe } from '../schemas/manifest.js';
import { parseJsonFile, validateDocument } from '../schemas/validate.js';
import { TtprobeError, invalidInput } from '../errors.js';

export const MANIFEST_NAME = 'probe.json';

/** Every `probes/<dir>/probe.json`, validated. One bad manifest stops the load: nothing runs half-configured. */
export async function loadProbes(probesDir: string): Promise<LoadedProbe[]> {
  let entries;
  try {
    entries = await readdir(probesDir, { withFileTypes: true });
  } catch (err) {
    throw new TtprobeError('not-found', `probes directory ${probesDir} cannot be read: ${(err as Error).message}`, {
      file: probesDir,
    });
  }
  const probes: LoadedProbe[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const manifestPath = path.join(probesDir, entry.name, MANIFEST_NAME);
    let text: string;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch {
      continue;
    }
    const manifest = validateDocument(ProbeManifest, await parseJsonFile(text, manifestPath), manifestPath);
    if (manifest.id !== entry.name) {
      throw invalidInput(manifestPath, 'id', `must equal its folder name '${entry.name}', got '${manifest.id}'`);
    }
    probes.push({ ...manifest, dir: path.resolve(probesDir, entry.name), manifestPath });
  }
  return probes;
}
