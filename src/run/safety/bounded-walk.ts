import { opendirSync, type Dirent } from 'node:fs';
import path from 'node:path';

export interface BoundedWalk {
  /** Entries seen, files and folders alike, up to the cap. */
  visited: number;
  /** True when the cap was reached before the tree was seen whole. */
  cutShort: boolean;
}

/**
 * Visits the tree under `root` (not `root` itself) depth first, at most `cap` entries, never following
 * links. Entries are read a few at a time (opendir), so a folder of millions of files costs the cap in
 * time and a directory buffer in memory, not an array of every name. `visit` returns false to skip
 * descending into a folder.
 */
export function boundedWalk(root: string, cap: number, visit: (full: string, entry: Dirent) => boolean | void): BoundedWalk {
  const walk: BoundedWalk = { visited: 0, cutShort: false };
  const into = (dir: string): void => {
    let handle;
    try {
      handle = opendirSync(dir);
    } catch {
      return; // gone, or not a folder any more
    }
    try {
      for (let e = handle.readSync(); e !== null; e = handle.readSync()) {
        if (walk.visited >= cap) {
          walk.cutShort = true;
          return;
        }
        walk.visited++;
        const full = path.join(dir, e.name);
        if (visit(full, e) !== false && e.isDirectory()) into(full);
        if (walk.cutShort) return;
      }
    } catch {
      // The folder changed under the walk: what was seen stands.
    } finally {
      handle.closeSync();
    }
  };
  into(root);
  return walk;
}
