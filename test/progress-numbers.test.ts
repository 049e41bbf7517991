import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeInlineProbe } from './helpers.js';

// CI logs read top to bottom: `[5/10] bert-flax ...` then `[5/10] dalle-mini skip` was two probes
// under one number. Each probe gets one number, the one it started with (a skip decided before
// anything starts is numbered when it is recorded).
describe('progress numbering', () => {
  it('gives every probe one number, the same on its start and end lines, when a later probe ends first', async () => {
    const dir = tempDir();
    const probe = { title: 'fixture', stack: 'tt-xla', needsDevice: false };
    // Started in folder order: a-slow first, b-fast second; b-fast ends first.
    writeInlineProbe(dir, 'a-slow', probe, ['    import time', '    time.sleep(3)', '    run.skip("done")']);
    writeInlineProbe(dir, 'b-fast', probe, ['    run.skip("done")']);
    writeInlineProbe(dir, 'c-skipped', { ...probe, requires: { modules: ['ttprobe_no_such_module'] } }, ['    run.skip("never started")']);
    const r = await cli(['run', '--probes-dir', dir, '--runs-dir', tempDir(), '--jobs', '2', '--target', 'cpu', '--no-report']);
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    const numberOf = new Map<string, Set<string>>();
    const probeOf = new Map<string, Set<string>>();
    for (const line of lines) {
      const [, n, id] = /^\[(\d+)\/3\] (\S+)/.exec(line)!;
      numberOf.set(id!, (numberOf.get(id!) ?? new Set()).add(n!));
      probeOf.set(n!, (probeOf.get(n!) ?? new Set()).add(id!));
    }
    const log = lines.join('\n');
    // b-fast really did end first: its end line comes before a-slow's.
    expect(lines.findIndex((l) => /b-fast +\S+ +\d/.test(l)), log).toBeLessThan(lines.findIndex((l) => /a-slow +\S+ +\d/.test(l)));
    expect([...numberOf.keys()].sort()).toEqual(['a-slow', 'b-fast', 'c-skipped']);
    for (const [id, numbers] of numberOf) expect([...numbers], `${id}:\n${log}`).toHaveLength(1);
    for (const [n, ids] of probeOf) expect([...ids], `[${n}/3]:\n${log}`).toHaveLength(1);
  });
});
