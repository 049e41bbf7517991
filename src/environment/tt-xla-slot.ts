import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ttprobeCacheDir } from '../paths.js';

export { ttprobeCacheDir };

/** What jax-tt-plugin unpacks into the temp folder at start (its tt-metal runtime and SFPI toolchain, ~400 MB). */
const TOOLCHAIN_PREFIX = 'libtt-tt-metal-runtime-assets-';
/** More TT-XLA processes than this at once get no slot: they unpack and build in their own temp folder. */
const SLOTS = 8;

export interface TtXlaSlot {
  dir: string;
  /** Set over the process's environment: TMPDIR (the plugin's unpack folder) and TT_METAL_CACHE (its kernels). */
  env: { TMPDIR: string; TT_METAL_CACHE: string };
  release(): Promise<void>;
}

/**
 * A folder of the ttprobe cache that one TT-XLA process at a time holds, so that what the plugin makes
 * outlives the process. jax-tt-plugin unpacks its toolchain into `$TMPDIR/libtt-tt-metal-runtime-assets-<hash>`
 * at every start, and tt-metal rebuilds a cached kernel whenever the absolute path of a header it
 * used has changed: under a fresh TMPDIR per probe, every probe unpacked 400 MB and rebuilt every
 * kernel. A slot's TMPDIR is the same path each time, and its kernel cache (`TT_METAL_CACHE`) is its own.
 * One holder at a time, because the plugin rewrites the toolchain at start (another process compiling
 * from it would read half-written headers) and keeps `$TMPDIR/tt_pjrt_system_descriptor`, which it
 * deletes at exit (a second process on the same TMPDIR loses it mid-run). Whatever else the previous
 * holder left in the temp folder is removed, so a probe still starts from an empty one.
 */
export async function acquireTtXlaSlot(env: NodeJS.ProcessEnv): Promise<TtXlaSlot | null> {
  const root = path.join(ttprobeCacheDir(env), 'tt-xla');
  for (let i = 0; i < SLOTS; i++) {
    const dir = path.join(root, `slot-${i}`);
    await mkdir(dir, { recursive: true });
    let release: () => Promise<void>;
    try {
      // A lock whose holder died goes stale after 30 s; losing a held one (a frozen runner) only costs cache hits.
      release = await lockfile.lock(dir, { realpath: false, lockfilePath: `${dir}.lock`, stale: 30_000, update: 5_000, retries: 0, onCompromised: () => {} });
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') continue;
      throw err;
    }
    const tmp = path.join(dir, 'tmp');
    await mkdir(tmp, { recursive: true });
    for (const name of await readdir(tmp)) {
      if (!name.startsWith(TOOLCHAIN_PREFIX)) await rm(path.join(tmp, name), { recursive: true, force: true });
    }
    return { dir, env: { TMPDIR: tmp, TT_METAL_CACHE: dir }, release: () => release().catch(() => {}) };
  }
  return null;
}
