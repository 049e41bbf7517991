import { detectUnderLock } from '../run/locks/detect-under-lock.js';
import { TtprobeError } from '../errors.js';
import type { DeviceReport } from '../schemas/device.js';
import { loadConfig } from '../config/load-config.js';
import { resolveStacks } from '../config/stack-settings.js';
import { tierTitle } from '../device/system-title.js';
import { stackFix } from '../device/stack-fix.js';

export interface DetectFlags {
  json?: boolean;
  snapshot?: string;
  python?: string[];
  config?: string;
  waitLock?: string;
}

export function describeDevice(d: DeviceReport, configFile: string | null = null): string {
  const lines = [`System: ${tierTitle(d.tier)} (tier ${d.tier}: ${d.tierReason})`, `Target: ${d.target} (${d.targetReason})`];
  if (d.firmwareBundle) lines.push(`Firmware bundle: ${d.firmwareBundle}`);
  if (d.kmd) lines.push(`KMD: ${d.kmd}`);
  for (const b of d.boards) {
    const t = b.telemetry;
    lines.push(
      `  chip ${b.index}: ${b.boardTypeRaw} ${b.arch} bus ${b.busId ?? 'N/A'} ` +
        `${t.asicTemperatureC ?? '?'}°C ${t.powerW ?? '?'}W AICLK ${t.aiclkMhz ?? '?'}MHz ` +
        `DRAM ${b.dram.speed ?? '?'} ${b.dram.status ?? '?'} PCIe Gen${b.pcie.speed ?? '?'} x${b.pcie.width ?? '?'}`,
    );
  }
  for (const [name, s] of Object.entries(d.stacks)) {
    const versions = Object.entries(s.versions).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`${name}: ${s.usable ? 'usable' : 'not usable'} (${s.reason})${versions ? ` [${versions}]` : ''}`);
    const i = s.interpreter;
    if (i) lines.push(`  interpreter: ${i.path} (from ${i.from}): ${i.starts ? `starts, Python ${i.version}` : `does not start: ${i.error}`}`);
    const fix = stackFix(name, s, configFile);
    if (fix) lines.push(`  to fix: ${fix}`);
  }
  lines.push(`JAX backends: ${d.jaxBackends.join(', ') || 'none'}`);
  for (const note of d.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

export async function detectCommand(flags: DetectFlags, out: (s: string) => void): Promise<DeviceReport> {
  const waitSeconds = Number(flags.waitLock ?? 0);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0) throw new TtprobeError('usage', `--wait-lock must be a whole number >= 0, got '${flags.waitLock}'`);
  const config = await loadConfig(flags.config);
  const { stacks, python } = resolveStacks(config, flags.python);
  // Detection opens the device: never while another ttprobe holds it.
  const { device: report, lock } = await detectUnderLock({
    snapshotFile: flags.snapshot,
    python,
    stacks,
    waitSeconds,
    onWait: (holder) => process.stderr.write(`ttprobe: waiting for the device lock held by ${holder}\n`),
  });
  await lock?.release();
  out(flags.json ? JSON.stringify(report, null, 2) + '\n' : describeDevice(report, config.file) + '\n');
  return report;
}
