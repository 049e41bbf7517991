import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readProcStat } from './process-identity.js';

/**
 * Processes that left the probe's process group (setsid, a daemonising helper) escape the group kill
 * and, once the probe exits, their parent chain leads to init. What they keep is the environment they
 * inherited: every probe process carries a mark unique to this probe attempt, and /proc/<pid>/environ
 * finds them by it afterwards (the way CI servers find a build's strays).
 */
export const PROCESS_MARK_VAR = 'TTPROBE_PROCESS_MARK';

export const newProcessMark = (): string => randomBytes(12).toString('hex');

export interface Escaped {
  pid: number;
  command: string;
}

/** Forks per millisecond no machine reaches: the bound under which pids cannot have wrapped around. */
const MAX_FORKS_PER_MS = 100;

const readNumber = (file: string): number => Number(readFileSync(file, 'utf8').trim());

/**
 * A test for the pids allocated since `firstPid` was (Linux hands pids out in cyclic order), or null
 * when that cannot be bounded: then every process must be read. A probe's processes are all born after
 * it, so the rest of /proc need not be read, which was most of the scan's cost on a busy machine.
 * Only a process holding CAP_SYS_ADMIN can rewind ns_last_pid, and such a probe can do worse anyway.
 */
function bornSince(firstPid: number, elapsedMs: number): ((pid: number) => boolean) | null {
  try {
    // /proc must show this pid namespace, the one ns_last_pid counts in.
    if (readlinkSync('/proc/self') !== String(process.pid)) return null;
    const pidMax = readNumber('/proc/sys/kernel/pid_max');
    const last = readNumber('/proc/sys/kernel/ns_last_pid');
    if (!(pidMax > 0 && last > 0) || elapsedMs * MAX_FORKS_PER_MS >= pidMax / 2) return null;
    const span = (last - firstPid + pidMax) % pidMax;
    if (span >= pidMax / 2) return null;
    return (pid) => (pid - firstPid + pidMax) % pidMax <= span;
  } catch {
    return null;
  }
}

/**
 * Processes carrying `mark` outside `probeGroup`. With `since` (the probe leader's pid and when it was
 * spawned), only processes born after it are read.
 */
export function findEscaped(mark: string, probeGroup: number, since?: { pid: number; at: number }): Escaped[] {
  const needle = Buffer.from(`\0${PROCESS_MARK_VAR}=${mark}\0`);
  const found: Escaped[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return found;
  }
  const born = since ? bornSince(since.pid, performance.now() - since.at) : null;
  for (const entry of pids) {
    const pid = Number(entry);
    if (pid === process.pid || (born && !born(pid))) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    // The mark as a whole variable: after a NUL, or first in the block (no copy of the block made).
    if (environ.indexOf(needle) < 0 && !environ.subarray(0, needle.length - 1).equals(needle.subarray(1))) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.pgrp === probeGroup) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`).toString().replace(/\0+$/, '').replace(/\0/g, ' ');
    } catch {
      // Gone between the two reads.
    }
    found.push({ pid, command: command.slice(0, 200) });
  }
  return found;
}

export function endEscaped(escaped: Escaped[]): Escaped[] {
  return escaped.filter((e) => {
    try {
      process.kill(e.pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether process `pid` carries `mark` in its environment (false when gone or not ours to read). */
export function carriesMark(pid: number, mark: string): boolean {
  try {
    return Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]).includes(Buffer.from(`\0${PROCESS_MARK_VAR}=${mark}\0`));
  } catch {
    return false;
  }
}

/** The live processes of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    const stat = readProcStat(pid);
    return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
  });
}
