import { readFileSync } from 'node:fs';

/**
 * Who a process is, beyond its pid: pids are reused, within a boot and across reboots. The start
 * time (clock ticks since boot, /proc/<pid>/stat field 22) and the boot id pin one process down.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
  bootId: string;
}

export interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  startTicks: number;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  if (!Number.isFinite(startTicks)) return null;
  return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]), startTicks };
}

let cachedBootId: string | undefined;
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

/** Null where /proc cannot tell (not Linux, or the process is gone). */
export function identityOf(pid: number): ProcessIdentity | null {
  const stat = readProcStat(pid);
  return stat ? { pid, startTicks: stat.startTicks, bootId: bootId() } : null;
}

export type IdentityCheck =
  | { verdict: 'same' }
  | { verdict: 'gone' }
  | { verdict: 'other'; why: string };

/** Is `stored` still the process it was? A zombie counts as gone: it can do nothing more. */
export function checkIdentity(stored: ProcessIdentity): IdentityCheck {
  if (!stored.bootId || stored.bootId !== bootId()) return { verdict: 'other', why: 'the machine has rebooted since' };
  const now = readProcStat(stored.pid);
  if (!now) return { verdict: 'gone' };
  if (now.startTicks !== stored.startTicks) return { verdict: 'other', why: `pid ${stored.pid} now belongs to a process started later` };
  if (now.state === 'Z') return { verdict: 'gone' };
  return { verdict: 'same' };
}

export function parseIdentity(text: string): ProcessIdentity | null {
  try {
    const j = JSON.parse(text) as Partial<ProcessIdentity>;
    if (Number.isInteger(j.pid) && j.pid! > 1 && Number.isInteger(j.startTicks) && typeof j.bootId === 'string') {
      return { pid: j.pid!, startTicks: j.startTicks!, bootId: j.bootId };
    }
  } catch {
    // Not an identity: the caller treats the process as unknown.
  }
  return null;
}
