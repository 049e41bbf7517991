import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TtprobeError } from '../errors.js';

export interface LockOptions {
  /** Device identity, e.g. "tt-n150" or "gpu". */
  key: string;
  lockDir: string;
  /** 0 refuses at once when the device is busy. */
  waitSeconds: number;
  runDir: string;
  onWait?: (holder: string) => void;
}

export const defaultLockDir = () => process.env.TTPROBE_LOCK_DIR ?? path.join(os.tmpdir(), 'ttprobe-locks');

interface Holder {
  pid: number;
  host: string;
  runDir: string;
  since: string;
}

async function describeHolder(file: string): Promise<string> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Holder;
    return `ttprobe pid ${h.pid} on ${h.host} (run ${h.runDir}) since ${h.since}`;
  } catch {
    return 'another ttprobe process';
  }
}

/**
 * One ttprobe per device. proper-lockfile keeps the lock fresh while we live, so the lock of a
 * process that died (even by SIGKILL) goes stale after `stale` ms and the next run takes it over.
 */
export async function acquireDeviceLock(opts: LockOptions): Promise<() => Promise<void>> {
  await mkdir(opts.lockDir, { recursive: true });
  const target = path.join(opts.lockDir, `${opts.key}.device`);
  const holderFile = `${target}.holder.json`;
  await writeFile(target, '', { flag: 'a' });
  const deadline = Date.now() + opts.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    try {
      const release = await lockfile.lock(target, { stale: 10_000, update: 2_000, realpath: false });
      const holder: Holder = { pid: process.pid, host: os.hostname(), runDir: opts.runDir, since: new Date().toISOString() };
      await writeFile(holderFile, JSON.stringify(holder));
      return async () => {
        await rm(holderFile, { force: true });
        await release().catch(() => undefined);
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'ELOCKED') throw err;
      const holder = await describeHolder(holderFile);
      if (Date.now() >= deadline) {
        throw new TtprobeError(
          'device-busy',
          `device ${opts.key} is in use by ${holder}; wait for it or pass --wait-lock SECONDS`,
        );
      }
      if (!announced) opts.onWait?.(holder);
      announced = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
