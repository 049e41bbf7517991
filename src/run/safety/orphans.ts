import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkIdentity, parseIdentity } from './process-identity.js';
import { PGID_FILE } from '../orchestrate/run-one.js';

export interface OrphanReport {
  ended: string[];
  /** Stored groups not ended, each with why: the id may belong to anything by now. */
  leftAlone: string[];
}

/**
 * A runner killed mid-probe (SIGKILL, power loss) leaves that probe's process group running: end it,
 * but only when the group's leader is provably the process the runner started (same boot, same start
 * time). A leader that is gone while the group lives on keeps its id reserved by the kernel, so the
 * group is still the probe's.
 */
export async function endOrphanedProbes(runDir: string): Promise<OrphanReport> {
  const report: OrphanReport = { ended: [], leftAlone: [] };
  const probesDir = path.join(runDir, 'probes');
  for (const dir of await readdir(probesDir).catch(() => [] as string[])) {
    const file = path.join(probesDir, dir, PGID_FILE);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const identity = parseIdentity(text);
    const check = identity ? checkIdentity(identity) : null;
    if (!identity || check?.verdict === 'other') {
      const pgid = identity?.pid ?? (Number(text.trim()) || '?');
      const why = check?.verdict === 'other' ? check.why : 'no process identity was recorded';
      report.leftAlone.push(`left process group ${pgid} (probe ${dir}) alone: ${why}`);
    } else {
      try {
        process.kill(-identity.pid, 'SIGKILL');
        report.ended.push(`${dir} (process group ${identity.pid})`);
      } catch {
        // Already gone.
      }
    }
    await rm(file, { force: true });
  }
  return report;
}
