import type { Board } from '../schemas/device.js';
import { invalidInput } from '../errors.js';

/** A tt-smi snapshot as parsed, with the fields ttprobe reads. tt-smi adds and drops fields between versions. */
export interface ParsedSnapshot {
  time: string | null;
  host: Record<string, string>;
  hostSoftware: Record<string, string>;
  boards: Board[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `tt-smi -s` may print progress text before the first `{`. */
export function extractSnapshotJson(text: string, source: string): Json {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw invalidInput(source, '', 'no JSON object found in tt-smi output');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    throw invalidInput(source, '', `tt-smi snapshot is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidInput(source, '', 'tt-smi snapshot must be a JSON object');
  return parsed;
}

/** Telemetry values arrive as padded strings (" 45.0"), numbers, or "N/A". */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /-?\d+(\.\d+)?/.exec(value);
  return match ? Number(match[0]) : null;
}

function toText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === '' || text === 'N/A' ? null : text;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const text = toText(v);
    if (text !== null) out[key] = text;
  }
  return out;
}

const ARCH_BY_BOARD: Array<[RegExp, Board['arch']]> = [
  [/^(n150|n300|nb_cb|wh_4u|tt-galaxy-wh|galaxy)/i, 'wormhole_b0'],
  // tt-smi's get_board_type: p100a, p150a/b/c, p300a/b/c, tt-galaxy-bh, and the bring-up board bh-scrappy.
  [/^(p\d+|tt-galaxy-bh|bh-)/i, 'blackhole'],
  [/^e\d+/i, 'grayskull'],
];

export function archOfBoardType(boardType: string): Board['arch'] {
  for (const [pattern, arch] of ARCH_BY_BOARD) if (pattern.test(boardType)) return arch;
  return 'unknown';
}

function parseBoard(device: unknown, index: number, source: string): Board {
  if (!isObject(device)) throw invalidInput(source, `device_info[${index}]`, 'expected an object');
  const info = isObject(device.board_info) ? device.board_info : {};
  const telemetry = isObject(device.telemetry) ? device.telemetry : {};
  const raw = toText(info.board_type) ?? 'N/A';
  const suffix = /\s+([LR])$/.exec(raw);
  const boardType = raw.replace(/\s+[LR]$/, '').toLowerCase();
  const dramStatus = info.dram_status;
  return {
    index,
    boardType,
    boardTypeRaw: raw,
    arch: archOfBoardType(boardType),
    attachment: suffix ? (suffix[1] === 'L' ? 'local' : 'remote') : 'unknown',
    busId: toText(info.bus_id),
    boardId: toText(info.board_id),
    firmware: stringRecord(device.firmwares),
    telemetry: {
      asicTemperatureC: toNumber(telemetry.asic_temperature),
      powerW: toNumber(telemetry.power),
      aiclkMhz: toNumber(telemetry.aiclk),
      voltageV: toNumber(telemetry.voltage),
    },
    dram: {
      status: typeof dramStatus === 'boolean' ? (dramStatus ? 'OK' : 'FAILED') : toText(dramStatus),
      speed: toText(info.dram_speed),
    },
    pcie: { speed: toText(info.pcie_speed), width: toText(info.pcie_width) },
  };
}

export function parseSnapshot(text: string, source: string): ParsedSnapshot {
  const json = extractSnapshotJson(text, source);
  const devices = json.device_info;
  if (devices !== undefined && !Array.isArray(devices)) {
    throw invalidInput(source, 'device_info', 'expected an array of devices');
  }
  return {
    time: toText(json.time),
    host: stringRecord(json.host_info),
    hostSoftware: stringRecord(json.host_sw_vers),
    boards: (devices ?? []).map((d, i) => parseBoard(d, i, source)),
  };
}
