import { detect, type DetectOptions } from '../../device/detect.js';
import type { DeviceReport } from '../../schemas/device.js';
import { acquireDeviceLock, defaultLockDir, type DeviceLock } from './device-lock.js';
import { devNodeDir, physicalDevices, withSerials } from './device-set.js';

export interface DetectUnderLockOptions extends Omit<DetectOptions, 'devDir'> {
  lockDir?: string;
  /** 0 refuses at once when a device is busy. */
  waitSeconds: number;
  onWait?: (holder: string) => void;
}

/**
 * Detection opens the device (tt-smi, `jax.devices('tt')`), so it runs under the lock of every
 * physical device this process may use, found beforehand without opening any. The lock is returned
 * held (null when there is no device node to lock), with the serials the snapshot gave.
 */
export async function detectUnderLock(opts: DetectUnderLockOptions): Promise<{ device: DeviceReport; lock: DeviceLock | null }> {
  const env = opts.env ?? process.env;
  const devices = await physicalDevices(env);
  const lock = devices.length
    ? await acquireDeviceLock({ devices, lockDir: opts.lockDir ?? defaultLockDir(), waitSeconds: opts.waitSeconds, doing: 'detecting the device', onWait: opts.onWait })
    : null;
  try {
    const device = await detect({ ...opts, devDir: devNodeDir(env) });
    if (lock) lock.devices = withSerials(lock.devices, device);
    return { device, lock };
  } catch (err) {
    await lock?.release();
    throw err;
  }
}
