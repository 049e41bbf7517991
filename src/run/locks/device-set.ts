import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { DeviceReport } from '../../schemas/device.js';
import type { LockedDevice } from '../../schemas/run-record.js';

/**
 * The physical devices a run will use, found without opening any of them: the `/dev/tenstorrent/<N>`
 * nodes (those `TT_VISIBLE_DEVICES` names) and each one's PCI address, read from
 * the link `/sys/class/tenstorrent/tenstorrent!<N>/device`. `$TTPROBE_DEVICE_ROOT` (default `/`) is
 * the folder both paths are read under: tests point it at a fake tree.
 */
export const deviceRoot = (env: NodeJS.ProcessEnv = process.env) => env.TTPROBE_DEVICE_ROOT || '/';
export const devNodeDir = (env: NodeJS.ProcessEnv = process.env) => path.join(deviceRoot(env), 'dev', 'tenstorrent');
const sysClassDir = (env: NodeJS.ProcessEnv) => path.join(deviceRoot(env), 'sys', 'class', 'tenstorrent');

const pciKey = (pci: string) => `tt-pci-${pci}`;

/**
 * Which of the nodes (sorted by number) `TT_VISIBLE_DEVICES` lets a run open, read as tt-umd reads
 * it (docs/TT_VISIBLE_DEVICES.md): a token with `:` or `.` matches every device whose PCI address
 * holds it; an integer is a position in the sorted node list, and in older tt-umd the node number
 * itself, so both devices are kept. Unset, empty, or naming nothing known: every device, since
 * detection's tt-smi opens them all anyway and a lock too many only makes a run wait.
 */
function visibleOnes<T extends { n: string; pci: string | null }>(nodes: T[], env: NodeJS.ProcessEnv): T[] {
  const tokens = (env.TT_VISIBLE_DEVICES ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const kept = new Set<T>();
  for (const token of tokens) {
    const matches = /^\d+$/.test(token)
      ? nodes.filter((node, i) => node.n === token || i === Number(token))
      : /^[0-9a-f:.]+$/.test(token) && /[:.]/.test(token)
        ? nodes.filter((node) => node.pci?.includes(token))
        : [];
    if (!matches.length) return nodes;
    for (const m of matches) kept.add(m);
  }
  return kept.size ? nodes.filter((node) => kept.has(node)) : nodes;
}

async function pciOf(env: NodeJS.ProcessEnv, n: string): Promise<string | null> {
  try {
    const target = path.basename(await readlink(path.join(sysClassDir(env), `tenstorrent!${n}`, 'device')));
    return /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(target) ? target.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Sorted by key: every run takes the locks in the same order. */
const byKey = (a: LockedDevice, b: LockedDevice) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function physicalDevices(env: NodeJS.ProcessEnv = process.env): Promise<LockedDevice[]> {
  const dir = devNodeDir(env);
  const numbers = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  const nodes = await Promise.all(numbers.map(async (n) => ({ n, pci: await pciOf(env, n) })));
  return visibleOnes(nodes, env)
    .map(({ n, pci }): LockedDevice => {
      const node = path.join(dir, n);
      return { key: pci ? pciKey(pci) : `tt-dev-${n}`, label: pci ? `${node} (PCI ${pci})` : node, node, pci, serial: null };
    })
    .sort(byKey);
}

/**
 * Where no device node can be seen (a saved snapshot, a container without /dev/tenstorrent), nothing
 * here can open a device: the run still locks what the snapshot names (its PCI-attached boards, the
 * same keys the node-based locks use), or the tier when it names none.
 */
export function devicesOfReport(report: DeviceReport): LockedDevice[] {
  const local = report.boards.filter((b) => b.busId);
  if (!local.length) return [{ key: `tt-${report.tier}`, label: `tt-${report.tier}`, node: null, pci: null, serial: null }];
  const devices = local.map((b) => {
    const pci = b.busId!.toLowerCase();
    return { key: pciKey(pci), label: `PCI ${pci}`, node: null, pci, serial: b.boardId };
  });
  return [...new Map(devices.map((d) => [d.key, d])).values()].sort(byKey);
}

/** The board serials the snapshot gives for the locked PCI devices. */
export function withSerials(devices: LockedDevice[], report: DeviceReport): LockedDevice[] {
  return devices.map((d) => ({ ...d, serial: report.boards.find((b) => d.pci && b.busId?.toLowerCase() === d.pci)?.boardId ?? d.serial }));
}

export const GPU_DEVICE: LockedDevice = { key: 'gpu', label: 'gpu', node: null, pci: null, serial: null };
