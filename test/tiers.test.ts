import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '../src/schemas/device.js';
import { cleanEnv, cli, onlyRunDir, readRecord, SNAPSHOTS, tempDir, VENV_PYTHON, writeInlineProbe } from './helpers.js';

/**
 * Tiers from the board types tt-smi really prints. tt-smi 6.8's get_board_type (tt_smi/utils.py) maps
 * board ids to `p100a` (never `p100`), `p150a/b/c`, `p300a/b/c`, `tt-galaxy-bh`; its backend adds
 * " L"/" R" to Wormhole boards only. Each snapshot here has one entry per chip, as tt-smi lists them.
 */
function snapshot(boardTypes: string[]): string {
  const file = path.join(tempDir('ttprobe-tier-'), 'snapshot.json');
  writeFileSync(file, JSON.stringify({
    time: '2026-12-05T09:00:00',
    host_info: { OS: 'Linux', Driver: 'TT-KMD 2.4.1' },
    host_sw_vers: { tt_smi: '6.8.0', pyluwen: '0.10.0', tt_umd: '0.9.12' },
    device_info: boardTypes.map((board_type, i) => ({
      board_info: { bus_id: `0000:0${i}:00.0`, board_type, board_id: `1000${i}`, dram_status: true, dram_speed: '16G' },
      telemetry: { asic_temperature: ' 45.0', power: ' 30.0', aiclk: ' 1350', voltage: ' 0.78' },
      firmwares: { fw_bundle_version: '18.10.0.0' },
    })),
  }));
  return file;
}

async function detectFrom(file: string): Promise<DeviceReport> {
  const r = await cli(['detect', '--json', '--snapshot', file], cleanEnv());
  expect(r.exitCode, r.stderr).toBe(0);
  return DeviceReport.parse(JSON.parse(r.stdout));
}

/** n chips of one board type; its toString names the layout once, so test titles stay short. */
const times = (n: number, type: string) => Object.assign(Array.from({ length: n }, () => type), { toString: () => `${n}x ${type}` });

describe('detect: the system tier from the board types tt-smi really prints', () => {
  it.each([
    [['n150 L'], 'n150', 'wormhole_b0'],
    [['n300 L', 'n300 R'], 'n300', 'wormhole_b0'],
    [[...times(4, 'n300 L'), ...times(4, 'n300 R')], 't3k', 'wormhole_b0'],
    [times(32, 'tt-galaxy-wh L'), 'galaxy', 'wormhole_b0'],
    [['p100a'], 'p100', 'blackhole'],
    [['p150a'], 'p150', 'blackhole'],
    [['p150b'], 'p150', 'blackhole'],
    [['p150c'], 'p150', 'blackhole'],
    [['p300a', 'p300a'], 'p300', 'blackhole'],
    [['p300b', 'p300b'], 'p300', 'blackhole'],
    [['p300c', 'p300c'], 'p300', 'blackhole'],
    [times(32, 'tt-galaxy-bh'), 'galaxy-bh', 'blackhole'],
  ])('%s -> tier %s (%s)', async (types, tier, arch) => {
    const report = await detectFrom(snapshot(types));
    expect(report.tier, report.tierReason).toBe(tier);
    expect(new Set(report.boards.map((b) => b.arch))).toEqual(new Set([arch]));
    expect(report.target).toBe('tt');
  });

  it('one P300 chip alone, or a Wormhole Galaxy short of chips, matches no known system', async () => {
    expect((await detectFrom(snapshot(['p300c']))).tier).toBe('unknown');
    expect((await detectFrom(snapshot(times(31, 'tt-galaxy-bh')))).tier).toBe('unknown');
  });

  it('the tt-smi version comes from host_sw_vers.tt_smi, as tt-smi writes it', async () => {
    expect((await detectFrom(snapshot(['p150a']))).ttSmi.version).toBe('6.8.0');
    expect((await detectFrom(path.join(SNAPSHOTS, 'n150.json'))).ttSmi.version).toBe('3.0.27');
  });
});

describe('run: MESH_DEVICE from the new tiers, as tt-metal names those systems', () => {
  it.each([
    [['p100a'], 'P100'],
    [['p150c'], 'P150'],
    [['p300c', 'p300c'], 'P300'],
    [times(32, 'tt-galaxy-bh'), 'BHGLX'],
  ])('%s -> MESH_DEVICE=%s for the tt-metal stack', async (types, mesh) => {
    const probes = tempDir('ttprobe-mesh-probes-');
    writeInlineProbe(probes, 'mesh-env', { title: 'MESH_DEVICE as the probe sees it', stack: 'tt-metal', timeoutSeconds: 60 }, [
      '    import os',
      '    run.passed(os.environ.get("MESH_DEVICE", "unset"))',
    ]);
    const runsDir = tempDir();
    const env = cleanEnv();
    delete env.MESH_DEVICE;
    const r = await cli(['run', '--probes-dir', probes, '--target', 'tt', '--snapshot', snapshot(types), '--runs-dir', runsDir,
      '--python', VENV_PYTHON, '--no-report'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readRecord(onlyRunDir(runsDir)).outcomes[0]!.result?.message).toBe(mesh);
  });
});
