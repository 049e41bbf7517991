import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkIdentity, parseIdentity } from './process-identity.js';
import { carriesMark, groupMembers } from './escaped.js';
import { PGID_FILE } from '../orchestrate/run-one.js';

export interface OrphanReport {
  ended: string[];
  /** Stored groups not ended, each with why: the id may belong to anything by now. */
  leftAlone: string[];
}

/**
 * A runner killed mid-probe (SIGKILL, power loss) leaves that probe's process group running: end it,
 * but only when the group's leader is provably the process the runner started (same boot, same start
 * time). A group whose leader is gone proves nothing by its id (the id may have been reused by a
 * group whose own leader left since): only its members that carry the attempt's environment mark
 * are ended, and the others are left alone.
 */

/** The attempt's environment mark stored beside the identity (absent in files of an older ttprobe). */
function markOf(text: string): string | null {
  try {
    const mark = (JSON.parse(text) as { mark?: unknown }).mark;
    return typeof mark === 'string' && /^[0-9a-f]{8,64}$/.test(mark) ? mark : null;
  } catch {
    return null;
  }
}
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
    } else if (check?.verdict === 'gone') {
      const members = groupMembers(identity.pid);
      const mark = markOf(text);
      const marked = mark ? members.filter((pid) => carriesMark(pid, mark)) : [];
      const ended = marked.filter((pid) => {
        try {
          process.kill(pid, 'SIGKILL');
          return true;
        } catch {
          return false;
        }
      });
      if (ended.length) report.ended.push(`${dir} (${ended.length} process(es) of group ${identity.pid} carrying its mark)`);
      if (members.length > marked.length) {
        const proof = mark ? "carries this probe attempt's mark" : 'can be proven the probe\'s (no mark was recorded)';
        const count = members.length - marked.length;
        report.leftAlone.push(`left process group ${identity.pid} (probe ${dir}) alone: its leader is gone and ${marked.length ? `${count} more of its processes` : `none of its ${count} process(es)`} ${proof}`);
      }
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
