import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGID_FILE } from './run-one.js';

/** A runner killed mid-probe (SIGKILL, power loss) leaves that probe's process group running: end it. */
export async function endOrphanedProbes(runDir: string): Promise<string[]> {
  const ended: string[] = [];
  const probesDir = path.join(runDir, 'probes');
  for (const dir of await readdir(probesDir).catch(() => [] as string[])) {
    const file = path.join(probesDir, dir, PGID_FILE);
    const pgid = Number(await readFile(file, 'utf8').catch(() => ''));
    if (pgid > 1) {
      try {
        process.kill(-pgid, 'SIGKILL');
        ended.push(`${dir} (process group ${pgid})`);
      } catch {
        // Already gone.
      }
    }
    await rm(file, { force: true });
  }
  return ended;
}
