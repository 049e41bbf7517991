import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Size and mtime of every file, by path: enough to see that something else wrote there. */
type Listing = Map<string, string>;

/**
 * Top-level entries the runner changes while probes run: the journal (checked byte for byte by
 * JournalWriter.restore), the lock it refreshes, and the report written after the last probe.
 */
const CHANGED_BY_RUNNER = new Set(['journal.jsonl', 'run.lock', 'run.lock.takeover', 'report']);

// Synchronous on purpose: hundreds of tiny metadata calls after each probe cost microseconds each
// this way, and a millisecond each through the thread pool (the runner benchmark felt it).
function walk(dir: string, skip: (full: string) => boolean, into: Listing): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (skip(full)) continue;
    if (e.isDirectory()) walk(full, skip, into);
    else {
      const s = statSync(full, { throwIfNoEntry: false });
      into.set(full, s ? `${s.size}:${s.mtimeMs}` : 'gone');
    }
  }
}

/**
 * Watches the run directory around each probe: everything but the folders of the probes running now
 * must stay as the runner left it. Under --jobs a change seen when one probe ends may come from another
 * that ran beside it; the note says what changed, which is what matters.
 */
export class RunDirGuard {
  private expected: Listing = new Map();
  private readonly running = new Set<string>();

  constructor(private readonly runDir: string) {}

  private outside(full: string): boolean {
    if (path.dirname(full) === this.runDir && CHANGED_BY_RUNNER.has(path.basename(full))) return true;
    return [...this.running].some((dir) => full === dir || full.startsWith(dir + path.sep));
  }

  private list(): Listing {
    const listing: Listing = new Map();
    walk(this.runDir, (full) => this.outside(full), listing);
    return listing;
  }

  async start(): Promise<void> {
    this.expected = this.list();
  }

  /** A probe is about to run with `folder` as its own. */
  begin(folder: string): void {
    this.running.add(path.resolve(folder));
  }

  /** The probe of `folder` has ended: what changed outside the running probes' folders since. */
  async end(folder: string): Promise<{ written: string[]; deleted: string[] }> {
    const now = this.list();
    const written = [...now].filter(([file, sig]) => this.expected.get(file) !== sig).map(([file]) => file).sort();
    const deleted = [...this.expected.keys()].filter((file) => !this.outside(file) && !now.has(file)).sort();
    // The folder joins what is watched as it is now; the rest was just listed.
    const own = path.resolve(folder);
    this.running.delete(own);
    walk(own, (full) => this.outside(full), now);
    this.expected = now;
    return { written, deleted };
  }
}
