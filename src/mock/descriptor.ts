import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalidInput, TtprobeError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { SHIPPED_MOCK_TIERS, type HardwareTier, type MockSystem } from '../schemas/device.js';
import { inferMockTier } from './mock-tier.js';

/** The descriptors ttprobe ships, one per tier, written from tt-umd's cluster descriptor format. */
export const MOCK_SYSTEMS_DIR = path.join(PACKAGE_ROOT, 'mock-systems');

/** One chip of a cluster descriptor, as ttprobe reads it. */
export interface MockChip {
  id: number;
  arch: 'wormhole_b0' | 'blackhole' | 'unknown';
  /** The board type of the board that lists the chip (n150, p150, ubb ...), or null. */
  boardType: string | null;
  mmio: boolean;
}

export interface LoadedMock {
  system: MockSystem;
  chips: MockChip[];
  /** How the tier was told, in words. */
  reason: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tt-umd spells arches `Wormhole`, `wormhole_b0`, `blackhole` (case-insensitive). */
function archOf(value: unknown): MockChip['arch'] {
  const text = String(value).toLowerCase();
  if (text.startsWith('wormhole')) return 'wormhole_b0';
  if (text === 'blackhole') return 'blackhole';
  return 'unknown';
}

/** `chips_with_mmio` is a sequence of one-key maps (`- 0: 0`); older files write a flow map. */
function mmioChips(value: unknown, file: string): Set<number> {
  const entries = Array.isArray(value) ? value : isObject(value) ? [value] : null;
  if (!entries) throw invalidInput(file, 'chips_with_mmio', 'expected a sequence of `<index>: <chip id>` entries');
  const chips = new Set<number>();
  for (const entry of entries) {
    if (!isObject(entry)) throw invalidInput(file, 'chips_with_mmio', `expected \`<index>: <chip id>\`, got ${JSON.stringify(entry)}`);
    for (const chip of Object.values(entry)) chips.add(Number(chip));
  }
  return chips;
}

/** `boards` is a sequence of boards, each a sequence of one-key maps (board_id, board_type, chips); older files write maps. */
function boardTypes(value: unknown, file: string): Map<number, string> {
  const boards = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : null;
  if (!boards) throw invalidInput(file, 'boards', 'expected a sequence of boards');
  const byChip = new Map<number, string>();
  boards.forEach((board, i) => {
    const fields: Json = Array.isArray(board) ? Object.assign({}, ...board.filter(isObject)) : isObject(board) ? board : {};
    if (typeof fields.board_type !== 'string' || !Array.isArray(fields.chips)) {
      throw invalidInput(file, `boards[${i}]`, 'expected board_type and chips');
    }
    for (const chip of fields.chips) byChip.set(Number(chip), fields.board_type.toLowerCase());
  });
  return byChip;
}

/** Reads and checks a tt-umd cluster descriptor; the tier comes from its arch, chip count and board types. */
export async function loadDescriptor(file: string, source: MockSystem['source']): Promise<LoadedMock> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `cannot read mock cluster descriptor ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  // Loaded here: only a --mock run reads YAML, and the parser is a third of a megabyte of code.
  const { parseYaml } = await import('./yaml-text.js');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw invalidInput(file, '', `not a YAML cluster descriptor: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObject(doc)) throw invalidInput(file, '', 'expected a tt-umd cluster descriptor (a YAML map with arch, chips_with_mmio and boards)');
  for (const field of ['arch', 'chips_with_mmio', 'boards']) {
    if (doc[field] === undefined || doc[field] === null) throw invalidInput(file, field, 'missing (a tt-umd cluster descriptor names it)');
  }
  if (!isObject(doc.arch) || !Object.keys(doc.arch).length) throw invalidInput(file, 'arch', 'expected a map of chip id to architecture');
  const mmio = mmioChips(doc.chips_with_mmio, file);
  const boards = boardTypes(doc.boards, file);
  const chips = Object.entries(doc.arch).map(([id, arch]) => ({
    id: Number(id),
    arch: archOf(arch),
    boardType: boards.get(Number(id)) ?? null,
    mmio: mmio.has(Number(id)),
  }));
  const unknownArch = chips.find((c) => c.arch === 'unknown');
  if (unknownArch) throw invalidInput(file, `arch.${unknownArch.id}`, `unknown architecture '${String((doc.arch as Json)[unknownArch.id])}' (expected wormhole_b0 or blackhole)`);
  if (!chips.some((c) => c.mmio)) throw invalidInput(file, 'chips_with_mmio', 'no chip of arch is PCIe-attached: the host could reach none');
  const { tier, reason } = inferMockTier(chips);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { system: { tier, descriptor: absolute, sha256, source }, chips, reason };
}

/** `--mock TIER|FILE`: a shipped tier by name, else the user's own descriptor file. */
export async function resolveMock(arg: string): Promise<LoadedMock> {
  if ((SHIPPED_MOCK_TIERS as readonly string[]).includes(arg)) {
    return loadDescriptor(path.join(MOCK_SYSTEMS_DIR, `${arg}.yaml`), 'shipped');
  }
  const info = await stat(arg).catch(() => null);
  if (!info?.isFile()) {
    throw new TtprobeError('usage', `--mock must be a tier (${SHIPPED_MOCK_TIERS.join(', ')}) or a tt-umd cluster descriptor file; '${arg}' is neither`, { file: arg });
  }
  return loadDescriptor(arg, 'user');
}

export const mockTierOf = (tier: HardwareTier | 'unknown') => `${tier}-mock` as const;
