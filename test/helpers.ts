import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync } from 'execa';
import { RunRecord } from '../src/schemas/run-record.js';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const FIXTURES = path.join(ROOT, 'fixtures');
export const FIXTURE_PROBES = path.join(FIXTURES, 'probes');
export const SNAPSHOTS = path.join(FIXTURES, 'tt-smi');
export const FAKE_BIN = path.join(FIXTURES, 'bin');
/** A stand-in TT PJRT plugin whose "tt" backend is the CPU: for PYTHONPATH in tests only. */
export const FAKE_PJRT = path.join(FIXTURES, 'fake-pjrt');
export const CLI = path.join(ROOT, 'bin', 'ttprobe.js');
export const VENV_PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
/** The real TT-XLA plugin's interpreter, made by scripts/setup.sh. */
export const XLA_PYTHON = path.join(ROOT, '.venv-tt-xla', 'bin', 'python');
export const MOCK_P150 = path.join(ROOT, 'mock-systems', 'p150.yaml');

/** Why the tests of the real TT-XLA compiler cannot run here, or null when they can. */
export function whyNoRealTtXla(): string | null {
  if (!existsSync(XLA_PYTHON)) return `${XLA_PYTHON} does not exist: scripts/setup.sh could not make the TT-XLA venv`;
  const probe = execaSync(XLA_PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("jax-tt-plugin"))'], { reject: false });
  if (probe.exitCode !== 0) return `jax-tt-plugin is not installed in .venv-tt-xla: ${probe.stderr.trim().split('\n').at(-1)}`;
  if (!existsSync(MOCK_P150)) return `no mock P150 descriptor at ${MOCK_P150}`;
  return null;
}

/**
 * A probe written by the test into `probesDir/<id>/`: its manifest (id, a fixture workload, `python probe.py`
 * and whatever `manifest` adds) and a `probe.py` that opens a ttprobe_probe.ProbeRun and runs `body`
 * (Python lines, indented under the `with` block as given).
 */
export function writeInlineProbe(probesDir: string, id: string, manifest: Record<string, unknown>, body: string[], imports: string[] = []): string {
  const dir = path.join(probesDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id, workload: 'fixture', command: ['python', 'probe.py'], needsDevice: false, ...manifest }));
  writeFileSync(path.join(dir, 'probe.py'), [
    ...imports,
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'probes', 'lib'))})`,
    'from ttprobe_probe import ProbeRun',
    `with ProbeRun(${JSON.stringify(id)}) as run:`,
    ...body,
  ].join('\n') + '\n');
  return dir;
}

export function tempDir(prefix = 'ttprobe-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The environment of a machine with no Tenstorrent tools: PATH without any real tt-smi, no device nodes.
 * TTPROBE_TT_SMI=tt-smi keeps detect to PATH, so ttprobe's own .venv-tt-smi does not stand in for a test's fake.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, CI: '1', TTPROBE_TT_SMI: 'tt-smi', TTPROBE_LOCK_DIR: tempDir('ttprobe-locks-'), TTPROBE_DEVICE_ROOT: tempDir('ttprobe-devroot-'), ...extra };
  delete env.TT_METAL_HOME;
  delete env.TTPROBE_DEVICES;
  delete env.TT_VISIBLE_DEVICES;
  return env;
}

/**
 * A folder to pass as $TTPROBE_DEVICE_ROOT: `dev/tenstorrent/<n>` for each device and the sysfs link
 * `sys/class/tenstorrent/tenstorrent!<n>/device` to its PCI device folder, as the KMD makes them.
 */
export function fakeDeviceRoot(devices: Array<{ n: number; pci: string }>): string {
  const root = tempDir('ttprobe-devroot-');
  mkdirSync(path.join(root, 'dev', 'tenstorrent'), { recursive: true });
  for (const { n, pci } of devices) {
    writeFileSync(path.join(root, 'dev', 'tenstorrent', String(n)), '');
    const pciDir = path.join(root, 'sys', 'devices', 'pci0000:00', pci);
    const classDir = path.join(root, 'sys', 'class', 'tenstorrent', `tenstorrent!${n}`);
    mkdirSync(pciDir, { recursive: true });
    mkdirSync(classDir, { recursive: true });
    symlinkSync(path.relative(classDir, pciDir), path.join(classDir, 'device'));
  }
  return root;
}

/** The one run directory a single `ttprobe run` left under `runsDir`. */
export function onlyRunDir(runsDir: string): string {
  const [only, ...more] = readdirSync(runsDir);
  if (!only || more.length) throw new Error(`expected one run under ${runsDir}, found ${[only, ...more].filter(Boolean).join(', ') || 'none'}`);
  return path.join(runsDir, only);
}

/** A stored run.json, parsed and validated as the harness would. */
export function readRecord(runDir: string): RunRecord {
  return RunRecord.parse(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')));
}

/** Polls `check` every 100 ms until it holds; fails the test past `ms`. */
export async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The CLI started in the background (not awaited), for tests that act on a live run. */
export function startRun(args: string[], env: NodeJS.ProcessEnv) {
  return execa('node', [CLI, ...args], { env, extendEnv: false, reject: false, stdin: 'ignore' });
}

export async function cli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), cwd = ROOT) {
  return execa('node', [CLI, ...args], { env, cwd, reject: false, extendEnv: false, stdin: 'ignore' });
}

import type { DeviceReport } from '../src/schemas/device.js';

/** A device report as detect would give it, without running detection (tests choose the target). */
export function fakeDevice(target: 'tt' | 'gpu' | 'cpu' = 'cpu', tier: DeviceReport['tier'] = target === 'tt' ? 'n150' : 'none'): DeviceReport {
  return {
    source: 'none',
    ttSmi: { found: false, error: 'tt-smi not found on PATH', version: null },
    devNodes: [],
    boards: [],
    chips: target === 'tt' ? 1 : 0,
    tier,
    tierReason: 'test fixture',
    firmwareBundle: target === 'tt' ? '80.18.0.0' : null,
    kmd: target === 'tt' ? 'TT-KMD 1.34' : null,
    host: { Hostname: 'test-host' },
    stacks: {
      'tt-xla': { usable: false, reason: 'test', versions: { jax: '0.7.1', jaxlib: '0.7.1' } },
      'tt-metal': { usable: false, reason: 'test', versions: {} },
    },
    jaxBackends: ['cpu'],
    target,
    targetReason: 'test fixture',
    notes: [],
  };
}

/** Running, as opposed to gone or a zombie (a container without an init process never reaps orphans). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
