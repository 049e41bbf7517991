import { z } from 'zod';
import { Target } from './manifest.js';

/** The Tenstorrent systems ttprobe knows by name; `galaxy` is the 32-chip Wormhole Galaxy, `galaxy-bh` the Blackhole one. */
export const HARDWARE_TIERS = ['n150', 'n300', 't3k', 'galaxy', 'p100', 'p150', 'p300', 'galaxy-bh'] as const;
export const HardwareTier = z.enum(HARDWARE_TIERS);
export type HardwareTier = z.infer<typeof HardwareTier>;
/** The tiers ttprobe ships a mock descriptor for (mock-systems/<tier>.yaml); a Blackhole Galaxy mock needs a user's file. */
export const SHIPPED_MOCK_TIERS = HARDWARE_TIERS.filter((t) => t !== 'galaxy-bh');

/**
 * A mock system (tt-metal's TT_METAL_MOCK_CLUSTER_DESC_PATH) is a system of its own: `p150-mock` is
 * paired only with `p150-mock`, so every grouping by tier keeps mock verdicts apart from hardware ones.
 */
export const MOCK_TIERS = [...HARDWARE_TIERS.map((t) => `${t}-mock` as const), 'unknown-mock'] as const;
export const Tier = z.enum([...HARDWARE_TIERS, 'unknown', 'none', ...MOCK_TIERS]);
export type Tier = z.infer<typeof Tier>;
export const isMockTier = (tier: string) => tier.endsWith('-mock');

export const Board = z.object({
  index: z.number().int(),
  boardType: z.string().describe('tt-smi board_type without the L/R suffix, e.g. "n300"'),
  boardTypeRaw: z.string(),
  arch: z.enum(['wormhole_b0', 'blackhole', 'grayskull', 'unknown']),
  attachment: z.enum(['local', 'remote', 'unknown']),
  busId: z.string().nullable(),
  boardId: z.string().nullable(),
  firmware: z.record(z.string(), z.string()),
  telemetry: z.object({
    asicTemperatureC: z.number().nullable(),
    powerW: z.number().nullable(),
    aiclkMhz: z.number().nullable(),
    voltageV: z.number().nullable(),
  }),
  dram: z.object({ status: z.string().nullable(), speed: z.string().nullable() }),
  pcie: z.object({ speed: z.string().nullable(), width: z.string().nullable() }),
});
export type Board = z.infer<typeof Board>;

export const Interpreter = z.object({
  path: z.string(),
  from: z.string().describe('what chose it: a --python flag, a config field, $TTPROBE_PYTHON or the default'),
  starts: z.boolean(),
  version: z.string().nullable().describe('its Python version when it starts'),
  error: z.string().nullable(),
});
export type Interpreter = z.infer<typeof Interpreter>;

export const StackInfo = z.object({
  usable: z.boolean(),
  reason: z.string(),
  versions: z.record(z.string(), z.string()),
  /** The Python this stack's probes run with; absent in records made before per-stack interpreters. */
  interpreter: Interpreter.optional(),
});
export type StackInfo = z.infer<typeof StackInfo>;

/** The cluster descriptor a mock run used: shipped in mock-systems/, or the user's own file. */
export const MockSystem = z.object({
  tier: z.union([HardwareTier, z.literal('unknown')]).describe('the system the descriptor describes (arch, chip count, board type)'),
  descriptor: z.string().describe('absolute path of the tt-umd cluster descriptor (TT_METAL_MOCK_CLUSTER_DESC_PATH)'),
  sha256: z.string(),
  source: z.enum(['shipped', 'user']),
});
export type MockSystem = z.infer<typeof MockSystem>;

export const DeviceReport = z.object({
  source: z.enum(['tt-smi', 'snapshot-file', 'dev-nodes', 'mock', 'none']),
  ttSmi: z.object({ found: z.boolean(), error: z.string().nullable(), version: z.string().nullable() }),
  devNodes: z.array(z.string()),
  boards: z.array(Board),
  chips: z.number().int().nonnegative(),
  tier: Tier,
  tierReason: z.string(),
  firmwareBundle: z.string().nullable(),
  kmd: z.string().nullable(),
  host: z.record(z.string(), z.string()),
  stacks: z.object({ 'tt-xla': StackInfo, 'tt-metal': StackInfo }),
  jaxBackends: z.array(z.string()),
  target: Target,
  targetReason: z.string(),
  notes: z.array(z.string()),
  /** Set on a mock run: no device was touched, the compiler targeted this descriptor. Absent in older records. */
  mock: MockSystem.nullable().default(null),
});
export type DeviceReport = z.infer<typeof DeviceReport>;
