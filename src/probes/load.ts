import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProbeManifest, type LoadedProbe } from '../schemas/manifest.js';
import { parseJsonFile, validateDocument } from '../schemas/validate.js';
import { TtprobeError, invalidInput } from '../errors.js';

export const MANIFEST_NAME = 'probe.json';

/**
 * Symlinked probe folders are followed (out-of-tree probes are linked in); a link that leads
 * nowhere is bad input rather than a probe that silently vanishes from the matrix.
 */
async function isLinkedFolder(probesDir: string, name: string): Promise<boolean> {
  const link = path.join(probesDir, name);
  try {
    return (await stat(link)).isDirectory();
  } catch (err) {
    const target = path.resolve(probesDir, await readlink(link).catch(() => '?'));
    throw new TtprobeError('invalid-input', `${link}: a symlink to ${target}, which cannot be read: ${(err as Error).message}`, { file: link });
  }
}

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
  const folders = [];
  for (const entry of entries) if (entry.isDirectory() || (entry.isSymbolicLink() && (await isLinkedFolder(probesDir, entry.name)))) folders.push(entry);
  for (const entry of folders.sort((a, b) => a.name.localeCompare(b.name))) {
    const manifestPath = path.join(probesDir, entry.name, MANIFEST_NAME);
    let text: string;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch {
      continue;
    }
    const manifest = await validateDocument(ProbeManifest, await parseJsonFile(text, manifestPath), manifestPath);
    if (manifest.id !== entry.name) {
      throw invalidInput(manifestPath, 'id', `must equal its folder name '${entry.name}', got '${manifest.id}'`);
    }
    probes.push({ ...manifest, dir: path.resolve(probesDir, entry.name), manifestPath });
  }
  return probes;
}
