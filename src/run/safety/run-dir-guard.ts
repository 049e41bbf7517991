import { lstatSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { boundedWalk } from './bounded-walk.js';

/**
 * Top-level entries the runner changes while probes run: the journal (checked byte for byte by
 * JournalWriter.restore), the lock it refreshes, and the report written after the last probe.
 */
const CHANGED_BY_RUNNER = new Set(['journal.jsonl', 'run.lock', 'run.lock.takeover', 'report']);
/** The temporary file write-file-atomic renames over the journal when it is restored. */
const JOURNAL_TEMP = /^journal\.jsonl\.\d+$/;

/** Entries walked per folder, and changes kept between two probe ends: a probe's file count cannot grow the runner. */
export const GUARD_WALK_CAP = 20_000;

export interface GuardReport {
  written: string[];
  deleted: string[];
  /** Folders whose walk stopped at GUARD_WALK_CAP entries: what lies beyond is not watched. */
  cutShort: string[];
  /** Changes past GUARD_WALK_CAP since the last probe ended, not listed. */
  uncounted: boolean;
  /** Folders the system would not let the guard watch since the last probe ended, with the first reason. */
  unwatched: { count: number; reason: string } | null;
}

/**
 * Watches the run directory around each probe: everything but the folders of the probes running now
 * must stay as the runner left it. Each folder is walked once, when its probe ends, and watched
 * (inotify, through fs.watch) from then on, so the check after a probe costs what changed, not what
 * earlier probes left. A probe's writes happen before its exit is seen, and the watch events are read
 * by the same event loop before that, so they are all in when the probe's end is checked. Under --jobs a
 * change seen when one probe ends may come from another that ran beside it; the note says what changed,
 * which is what matters.
 */
export class RunDirGuard {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly changed = new Set<string>();
  private readonly running = new Set<string>();
  private uncounted = false;
  private unwatched: { count: number; reason: string } | null = null;

  constructor(private readonly runDir: string) {
    this.runDir = path.resolve(runDir);
  }

  private outside(full: string): boolean {
    if (path.dirname(full) === this.runDir && (CHANGED_BY_RUNNER.has(path.basename(full)) || JOURNAL_TEMP.test(path.basename(full)))) return true;
    for (const dir of this.running) if (full === dir || full.startsWith(dir + path.sep)) return true;
    return false;
  }

  private watch(dir: string): void {
    this.watchers.get(dir)?.close();
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (this.changed.size >= GUARD_WALK_CAP) this.uncounted = true;
        else this.changed.add(name ? path.join(dir, name) : dir);
      });
      // A watched folder deleted ends its watch; the deletion itself is seen from its parent.
      watcher.on('error', () => {
        watcher.close();
        if (this.watchers.get(dir) === watcher) this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch (err) {
      this.unwatched ??= { count: 0, reason: (err as NodeJS.ErrnoException).code ?? String(err) };
      this.unwatched.count++;
    }
  }

  /** Watches `dir` and the folders under it, walking at most GUARD_WALK_CAP entries; false when cut short. */
  private watchTree(dir: string): boolean {
    this.watch(dir);
    const walk = boundedWalk(dir, GUARD_WALK_CAP, (full, entry) => {
      if (this.outside(full)) return false;
      if (entry.isDirectory()) this.watch(full);
    });
    return !walk.cutShort;
  }

  /** Starts watching; returns the folders whose walk was cut short (a resumed run's). */
  start(): string[] {
    const probes = path.join(this.runDir, 'probes');
    // Made here, not by the first probe, so that it is watched from the start.
    mkdirSync(probes, { recursive: true });
    this.watch(this.runDir);
    this.watch(probes);
    const cutShort: string[] = [];
    // Each top-level folder and each probe folder is walked on its own, as it would have been when its probe ended.
    boundedWalk(this.runDir, Number.MAX_SAFE_INTEGER, (full, entry) => {
      if (!entry.isDirectory() || this.outside(full)) return false;
      if (full === probes) return true;
      if (!this.watchTree(full)) cutShort.push(full);
      return false;
    });
    return cutShort;
  }

  /** A probe is about to run with `folder` as its own. */
  begin(folder: string): void {
    this.running.add(path.resolve(folder));
  }

  /** The probe of `folder` has ended: what changed outside the running probes' folders since the last end. */
  end(folder: string): GuardReport {
    const report: GuardReport = { written: [], deleted: [], cutShort: [], uncounted: this.uncounted, unwatched: null };
    for (const full of this.changed) {
      if (this.outside(full)) continue;
      const stat = lstatSync(full, { throwIfNoEntry: false });
      if (!stat) {
        report.deleted.push(full);
        continue;
      }
      report.written.push(full);
      // A folder made (or made again) outside: what is written in it later must be seen too.
      if (stat.isDirectory() && !this.watchTree(full)) report.cutShort.push(full);
    }
    this.changed.clear();
    this.uncounted = false;
    const own = path.resolve(folder);
    this.running.delete(own);
    if (!this.watchTree(own)) report.cutShort.push(own);
    report.unwatched = this.unwatched;
    this.unwatched = null;
    report.written.sort();
    report.deleted.sort();
    return report;
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
