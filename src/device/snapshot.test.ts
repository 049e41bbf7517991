import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, toNumber } from './snapshot.js';
import { inferTier } from './tier.js';
import { SNAPSHOTS } from '../../test/helpers.js';

const load = (name: string) => {
  const file = path.join(SNAPSHOTS, name);
  return parseSnapshot(readFileSync(path.join(SNAPSHOTS, 'progress-prefix.txt'), 'utf8') + readFileSync(file, 'utf8'), file);
};

describe('tt-smi snapshots', () => {
  it.each([
    ['n150.json', 'n150', 1],
    ['n300.json', 'n300', 2],
    ['t3k.json', 't3k', 8],
    ['galaxy.json', 'galaxy', 32],
    ['p150.json', 'p150', 1],
  ])('%s is a %s with %i chip(s)', (file, tier, chips) => {
    const snap = load(file);
    expect(snap.boards).toHaveLength(chips);
    expect(inferTier(snap.boards).tier).toBe(tier);
  });

  it('reads the N150 of the hand run: board, telemetry, firmware, driver', () => {
    const snap = load('n150.json');
    const [board] = snap.boards;
    expect(board).toMatchObject({
      boardType: 'n150',
      boardTypeRaw: 'n150 L',
      arch: 'wormhole_b0',
      attachment: 'local',
      busId: '0000:04:00.0',
      dram: { status: 'OK', speed: '12G' },
      pcie: { speed: '4', width: '16' },
      telemetry: { asicTemperatureC: 41.2, powerW: 12, aiclkMhz: 500 },
    });
    expect(board!.firmware.fw_bundle_version).toBe('80.18.0.0');
    expect(snap.host.Driver).toBe('TT-KMD 1.34');
  });

  it('marks N300 chips local and remote', () => {
    const snap = load('n300.json');
    expect(snap.boards.map((b) => b.attachment)).toEqual(['local', 'remote']);
    expect(snap.boards[1]!.busId).toBeNull();
  });

  it('recognises Blackhole', () => {
    expect(load('p150.json').boards[0]).toMatchObject({ arch: 'blackhole', boardType: 'p150a', attachment: 'unknown' });
  });

  it('reports a layout it does not know as unknown, spelling it out', () => {
    const t = inferTier(load('mixed-unknown.json').boards);
    expect(t.tier).toBe('unknown');
    expect(t.reason).toContain('1x n300 L, 1x n300 R, 1x n150 L');
  });

  it('is no device at all for an empty device list', () => {
    expect(inferTier(parseSnapshot('{"device_info": []}', 'x').boards).tier).toBe('none');
  });

  it('names the source when the snapshot is not JSON', () => {
    expect(() => parseSnapshot('Gathering Information\nnope', '/tmp/snap.json')).toThrow(/\/tmp\/snap\.json.*no JSON object/);
    expect(() => parseSnapshot('{"device_info": {}}', 'snap.json')).toThrow(/snap\.json: field 'device_info'/);
  });

  it('parses padded telemetry strings and refuses non-numbers', () => {
    expect(toNumber(' 45.0')).toBe(45);
    expect(toNumber('N/A')).toBeNull();
    expect(toNumber(undefined)).toBeNull();
  });
});
