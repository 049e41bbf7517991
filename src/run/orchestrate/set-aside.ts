import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';

/** Where --resume keeps the folders of attempts the interrupted run never finished. */
export const INTERRUPTED_DIR = 'interrupted';

/** The folders an attempt of `id` writes: `id`, then `id.attempt2`, `id.attempt3`, ... under --retries. */
function isAttemptFolder(name: string, id: string): boolean {
  return name === id || (name.startsWith(`${id}.attempt`) && /^\d+$/.test(name.slice(id.length + '.attempt'.length)));
}

/**
 * Moves the folders of unfinished probes out of `probes/` before --resume runs them again, so the
 * new attempt starts in an empty folder: a stale result.json or stale output files of the killed
 * attempt can never be read as the new attempt's. They are kept under `interrupted/` for inspection.
 * Returns, per probe id, the notes naming where its folders went.
 */
export async function setAsideUnfinished(runDir: string, ids: string[], finished: Set<string>): Promise<Map<string, string[]>> {
  const notes = new Map<string, string[]>();
  const probesDir = path.join(runDir, 'probes');
  const names = await readdir(probesDir).catch(() => [] as string[]);
  const aside = path.join(runDir, INTERRUPTED_DIR);
  const taken = new Set(await readdir(aside).catch(() => [] as string[]));
  for (const id of ids) {
    // A folder named like an attempt of `id` that is itself a finished probe's folder stays.
    for (const name of names.filter((n) => isAttemptFolder(n, id) && !finished.has(n)).sort()) {
      let k = 1;
      while (taken.has(`${name}-${k}`)) k++;
      const target = `${name}-${k}`;
      await mkdir(aside, { recursive: true });
      await rename(path.join(probesDir, name), path.join(aside, target));
      taken.add(target);
      const note = `the interrupted run's folder probes/${name} was moved aside to ${INTERRUPTED_DIR}/${target} (kept for inspection, not read)`;
      notes.set(id, [...(notes.get(id) ?? []), note]);
    }
  }
  return notes;
}
