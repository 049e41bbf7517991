import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Board, DeviceReport } from '../schemas/device.js';
import { settingsFor } from '../config/stack-settings.js';
import { inspectStack, withInterpreter, type DetectOptions } from '../device/detect.js';
import { ttMetalStack, ttXlaStack } from '../device/stacks.js';
import { mockEnv } from './mock-env.js';
import { mockTierOf, type LoadedMock } from './descriptor.js';

/** The chips of the descriptor as boards of the report: no telemetry, no firmware, nothing was read from a device. */
function boardsOf(mock: LoadedMock): Board[] {
  return mock.chips.map((chip, index) => ({
    index,
    boardType: chip.boardType ?? 'unknown',
    boardTypeRaw: `${chip.boardType ?? 'unknown'} (mock)`,
    arch: chip.arch,
    attachment: chip.mmio ? 'local' : 'remote',
    busId: null,
    boardId: null,
    firmware: {},
    telemetry: { asicTemperatureC: null, powerW: null, aiclkMhz: null, voltageV: null },
    dram: { status: null, speed: null },
    pcie: { speed: null, width: null },
  }));
}

/**
 * Detection for a mock system: no tt-smi, no device node, no lock (a mock touches no device). The
 * stacks are inspected with the mock's environment, so `jax.devices('tt')` opens the mock system.
 */
export async function detectMock(mock: LoadedMock, opts: Omit<DetectOptions, 'snapshotFile' | 'devDir' | 'kmdVersionFile'>): Promise<DeviceReport> {
  // Opening the mock, tt-metal writes its fabric files (generated/fabric/*.yaml) into the working
  // directory: that is a folder of its own, removed afterwards, never the user's.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'ttprobe-mock-detect-'));
  const env = { ...(opts.env ?? process.env), ...mockEnv(mock.system) };
  const settings = settingsFor(opts.python, opts.stacks);
  const [xla, metal] = await Promise.all([inspectStack('tt-xla', settings['tt-xla'], env, scratch), inspectStack('tt-metal', settings['tt-metal'], env, scratch)])
    .finally(() => rm(scratch, { recursive: true, force: true }));
  const notes: string[] = [];
  for (const { py, interpreter } of [xla, metal]) {
    if (interpreter.starts && !py.ok && py.error && !notes.includes(py.error)) notes.push(py.error);
  }
  const { tier, descriptor, source } = mock.system;
  return {
    source: 'mock',
    ttSmi: { found: false, error: null, version: null },
    devNodes: [],
    boards: boardsOf(mock),
    chips: mock.chips.length,
    tier: mockTierOf(tier),
    tierReason: `mock system (${source === 'shipped' ? 'shipped' : 'your'} descriptor ${descriptor}): ${mock.reason}`,
    firmwareBundle: null,
    kmd: null,
    host: { Hostname: os.hostname(), OS: `${os.type()} ${os.release()}`, Python: xla.py.python ?? 'unknown' },
    stacks: {
      'tt-xla': withInterpreter(ttXlaStack(xla.py), xla.interpreter),
      'tt-metal': withInterpreter(await ttMetalStack(metal.env, metal.py), metal.interpreter),
    },
    jaxBackends: xla.py.jaxBackends,
    target: 'tt',
    targetReason: 'mock system: the real compiler targets the descriptor; execution is mocked, nothing is computed',
    notes,
    mock: mock.system,
  };
}
