import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeviceReport } from '../src/schemas/device.js';
import { cleanEnv, cli, ROOT } from './helpers.js';

/**
 * detect on the real tt-smi 6.8.0 (.venv-tt-smi, made by scripts/setup-tt-metal.sh), on a machine with
 * no Tenstorrent driver. tt-smi then prints, in red on stdout, "No Tenstorrent driver detected! Please
 * install driver using tt-kmd: ..." and exits 1 (tt_smi/tt_smi.py main(), before any snapshot).
 */
const TT_SMI = path.join(ROOT, '.venv-tt-smi', 'bin', 'tt-smi');
const HAVE = existsSync(TT_SMI);
const WHY = HAVE ? '' : ' [skipped: no .venv-tt-smi; scripts/setup-tt-metal.sh makes it]';
if (!HAVE) console.warn(`real-tt-smi tests${WHY}`);

describe.skipIf(!HAVE)(`detect with the real tt-smi and no driver${WHY}`, () => {
  it('finds tt-smi in .venv-tt-smi when none is on PATH, and reports what it said, without JSON or colour codes', async () => {
    const env = cleanEnv({ PATH: '/usr/bin:/bin' });
    delete env.TTPROBE_TT_SMI; // no override: detect looks on PATH, then in .venv-tt-smi
    const r = await cli(['detect', '--json'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = DeviceReport.parse(JSON.parse(r.stdout));
    expect(report.ttSmi.found).toBe(true);
    expect(report.ttSmi.error).toContain(`${TT_SMI} -s --snapshot_no_tty exited with 1`);
    expect(report.ttSmi.error).toContain('No Tenstorrent driver detected! Please install driver using tt-kmd');
    expect(report.ttSmi.error).not.toMatch(/\x1b\[/);
    expect(report.ttSmi.version).toBeNull();
    expect(report).toMatchObject({ source: 'none', tier: 'none', chips: 0, target: 'cpu' });
  }, 120_000);

  it('$TTPROBE_TT_SMI names the tool to run', async () => {
    const r = await cli(['detect', '--json'], cleanEnv({ PATH: '/usr/bin:/bin', TTPROBE_TT_SMI: TT_SMI }));
    const report = DeviceReport.parse(JSON.parse(r.stdout));
    expect(report.ttSmi.error).toContain('No Tenstorrent driver detected!');
  }, 120_000);
});
