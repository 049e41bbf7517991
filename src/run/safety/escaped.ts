import { readdirSync, readFileSync } from 'node:fs';
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

export function findEscaped(mark: string, probeGroup: number): Escaped[] {
  const needle = Buffer.from(`\0${PROCESS_MARK_VAR}=${mark}\0`);
  const found: Escaped[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return found;
  }
  for (const entry of pids) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
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
