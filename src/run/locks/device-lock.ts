import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { TtprobeError } from '../../errors.js';
import type { LockedDevice } from '../../schemas/run-record.js';
import { identityOf, type ProcessIdentity } from '../safety/process-identity.js';
import { NEVER_STALE_MS, holderIdentity, lockIsAbandoned, type LockHolder } from './liveness.js';

export interface LockOptions {
  /** Every device the run will use; one lock each, taken all or none. */
  devices: LockedDevice[];
  lockDir: string;
  /** 0 refuses at once when a device is busy. */
  waitSeconds: number;
  /** What the holder is doing, until setRunDir names its run: e.g. "detecting the device". */
  doing: string;
  onWait?: (holder: string) => void;
}

/** The devices held; release is safe to call more than once. */
export interface DeviceLock {
  devices: LockedDevice[];
  /** Names the run in the holder files, so a refused run says which run holds the device. */
  setRunDir(runDir: string): Promise<void>;
  release(): Promise<void>;
}

export const defaultLockDir = () => process.env.TTPROBE_LOCK_DIR ?? path.join(os.tmpdir(), 'ttprobe-locks');

interface Holder {
  pid: number;
  host: string;
  doing: string;
  since: string;
  devices: string[];
  identity?: ProcessIdentity | null;
}

async function readHolder(file: string): Promise<LockHolder | null> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Holder;
    return { host: h.host, identity: holderIdentity(h.identity) };
  } catch {
    return null;
  }
}

async function describeHolder(file: string): Promise<string> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Holder;
    return `ttprobe pid ${h.pid} on ${h.host} (${h.doing}) since ${h.since}`;
  } catch {
    return 'another ttprobe process';
  }
}

const lockFileOf = (lockDir: string, d: LockedDevice) => path.join(lockDir, `${d.key}.device`);
const holderFileOf = (lockDir: string, d: LockedDevice) => `${lockFileOf(lockDir, d)}.holder.json`;

/**
 * One device's lock. A holder alive on this host keeps it however long it has not refreshed it (a
 * stopped runner still has its probe on the device); a dead one loses it at once. A lock that is
 * compromised anyway (removed by hand) is said on stderr, never thrown from a timer.
 */
async function lockDevice(target: string, holderFile: string): Promise<() => Promise<void>> {
  const options = {
    stale: NEVER_STALE_MS,
    update: 2_000,
    realpath: false,
    onCompromised: (err: Error) => process.stderr.write(`ttprobe: the device lock ${target} was taken away (${err.message}); another run may use the device now\n`),
  };
  try {
    return await lockfile.lock(target, options);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED' || !(await lockIsAbandoned(`${target}.lock`, await readHolder(holderFile)))) throw err;
    await rm(`${target}.lock`, { recursive: true, force: true });
    return await lockfile.lock(target, options);
  }
}

/** Takes every lock of `devices` in order; on the first busy one gives back those taken and names the busy one. */
async function tryAll(opts: LockOptions): Promise<{ releases: Array<() => Promise<void>> } | { busy: LockedDevice }> {
  const releases: Array<() => Promise<void>> = [];
  for (const device of opts.devices) {
    const target = lockFileOf(opts.lockDir, device);
    await writeFile(target, '', { flag: 'a' });
    try {
      releases.push(await lockDevice(target, holderFileOf(opts.lockDir, device)));
    } catch (err) {
      for (const release of releases.reverse()) await release().catch(() => undefined);
      if ((err as { code?: string }).code === 'ELOCKED') return { busy: device };
      throw err;
    }
  }
  return { releases };
}

/**
 * One ttprobe per physical device: a run locks every device it will use (sorted, so two runs never
 * hold parts of each other's sets and wait forever), all or none, before anything opens one.
 */
export async function acquireDeviceLock(opts: LockOptions): Promise<DeviceLock> {
  await mkdir(opts.lockDir, { recursive: true });
  const deadline = Date.now() + opts.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    const attempt = await tryAll(opts);
    if ('releases' in attempt) {
      const since = new Date().toISOString();
      const labels = opts.devices.map((d) => d.label);
      const writeHolders = (doing: string) =>
        Promise.all(opts.devices.map((d) => {
          const holder: Holder = { pid: process.pid, host: os.hostname(), doing, since, devices: labels, identity: identityOf(process.pid) };
          return writeFile(holderFileOf(opts.lockDir, d), JSON.stringify(holder));
        }));
      await writeHolders(opts.doing);
      let released = false;
      return {
        devices: opts.devices,
        setRunDir: async (runDir) => {
          if (!released) await writeHolders(`run ${runDir}`);
        },
        release: async () => {
          if (released) return;
          released = true;
          for (const d of opts.devices) await rm(holderFileOf(opts.lockDir, d), { force: true });
          for (const release of attempt.releases) await release().catch(() => undefined);
        },
      };
    }
    const holder = await describeHolder(holderFileOf(opts.lockDir, attempt.busy));
    if (Date.now() >= deadline) {
      throw new TtprobeError('device-busy', `device ${attempt.busy.label} is in use by ${holder}; wait for it or pass --wait-lock SECONDS`);
    }
    if (!announced) opts.onWait?.(holder);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
