import lockfile from 'proper-lockfile';
import { TtprobeError } from '../errors.js';

/** How long a build waits for another build of the same --out (a site of 1,000 runs takes about 1 s). */
const WAIT = { retries: 120, minTimeout: 250, maxTimeout: 1000, factor: 1.5 };

/**
 * One build per --out at a time: the swap of two builds interleaved fails or leaves a
 * `.previous-*` folder behind. The lock is `OUT.lock`, beside the folder (the folder itself is
 * replaced by the swap); a build that died leaves it stale after 10 s.
 */
export async function lockOutDir(out: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(out, { realpath: false, lockfilePath: `${out}.lock`, stale: 10_000, update: 2_000, retries: WAIT });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    throw new TtprobeError('busy', `${out} is being built by another ttprobe site (lock ${out}.lock); try again when it is done`, { file: out });
  }
}
