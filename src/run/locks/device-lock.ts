import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TtprobeError } from '../../errors.js';
import type { LockedDevice } from '../../schemas/run-record.js';
import { describeHolder, tryTakeLock, type HeldLock, type StoredHolder } from './held-lock.js';

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
  /** Aborted, with a sentence as its reason, once another process has any of these devices' locks. */
  lost: AbortSignal;
  /** Names the run in the locks, so a refused run says which run holds the device. */
  setRunDir(runDir: string): Promise<void>;
  release(): Promise<void>;
}

export const defaultLockDir = () => process.env.TTPROBE_LOCK_DIR ?? path.join(os.tmpdir(), 'ttprobe-locks');

const lockFileOf = (lockDir: string, d: LockedDevice) => path.join(lockDir, `${d.key}.device.lock`);
const doingOf = (h: StoredHolder) => (typeof h.doing === 'string' ? h.doing : undefined);

/** Takes every lock of `devices` in order; on the first busy one gives back those taken and names its holder. */
async function tryAll(opts: LockOptions, details: Record<string, unknown>): Promise<{ held: HeldLock[] } | { busy: LockedDevice; holder: StoredHolder | null }> {
  const held: HeldLock[] = [];
  for (const device of opts.devices) {
    const taken = await tryTakeLock(lockFileOf(opts.lockDir, device), details);
    if ('busy' in taken) {
      for (const lock of held.reverse()) await lock.release();
      return { busy: device, holder: taken.busy };
    }
    held.push(taken);
  }
  return { held };
}

/**
 * One ttprobe per physical device: a run locks every device it will use (sorted, so two runs never
 * hold parts of each other's sets and wait forever), all or none, before anything opens one.
 */
export async function acquireDeviceLock(opts: LockOptions): Promise<DeviceLock> {
  await mkdir(opts.lockDir, { recursive: true });
  const deadline = Date.now() + opts.waitSeconds * 1000;
  const labels = opts.devices.map((d) => d.label);
  let announced = false;
  for (;;) {
    const attempt = await tryAll(opts, { doing: opts.doing, devices: labels });
    if ('held' in attempt) {
      const { held } = attempt;
      return {
        devices: opts.devices,
        lost: AbortSignal.any(held.map((l) => l.lost)),
        setRunDir: async (runDir) => {
          for (const lock of held) await lock.rewrite({ doing: `run ${runDir}` });
        },
        release: async () => {
          for (const lock of held) await lock.release();
        },
      };
    }
    const holder = describeHolder(attempt.holder, doingOf);
    if (Date.now() >= deadline) {
      throw new TtprobeError('device-busy', `device ${attempt.busy.label} is in use by ${holder}; wait for it or pass --wait-lock SECONDS`);
    }
    if (!announced) opts.onWait?.(holder);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
