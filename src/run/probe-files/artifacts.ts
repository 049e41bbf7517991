import { lstatSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProbeResult } from '../../schemas/probe-result.js';

type Artifact = ProbeResult['artifacts'][number];

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + path.sep);

/** Whether the probe's output folder is still the folder the runner made, not a link the probe put in its place. */
export async function isRealFolder(dir: string): Promise<boolean> {
  return Boolean(lstatSync(dir, { throwIfNoEntry: false })?.isDirectory());
}

/**
 * The artifacts a report may link to: regular files whose real path (every symlink resolved) stays
 * inside the probe's output folder. A link out of it would publish whatever it points at.
 */
export async function keptArtifacts(outputDir: string, artifacts: Artifact[]): Promise<{ artifacts: Artifact[]; notes: string[] }> {
  const notes: string[] = [];
  const kept: Artifact[] = [];
  if (!artifacts.length) return { artifacts: [], notes };
  const drop = (a: Artifact, why: string) => notes.push(`artifact '${a.path}' dropped: ${why}`);
  if (!(await isRealFolder(outputDir))) {
    notes.push(`the output folder was replaced by a link; its ${artifacts.length} artifact(s) dropped`);
    return { artifacts: [], notes };
  }
  const root = await realpath(outputDir);
  for (const a of artifacts) {
    const named = path.resolve(outputDir, a.path);
    if (!within(named, path.resolve(outputDir))) {
      drop(a, "outside the probe's output folder");
      continue;
    }
    const real = await realpath(named).catch(() => null);
    if (real === null) continue; // listed but never written: not an artifact
    if (!within(real, root)) {
      drop(a, "it leads outside the probe's output folder");
      continue;
    }
    if (!(await stat(real)).isFile()) {
      drop(a, 'not a regular file');
      continue;
    }
    kept.push(a);
  }
  return { artifacts: kept, notes };
}
