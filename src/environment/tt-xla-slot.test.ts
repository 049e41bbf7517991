import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireTtXlaSlot, ttprobeCacheDir } from './tt-xla-slot.js';

describe('TT-XLA cache slots', () => {
  it('gives each concurrent holder its own slot, keeps the toolchain and clears the rest for the next', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'ttprobe-slot-'));
    const env = { TTPROBE_CACHE_DIR: cache };
    const first = (await acquireTtXlaSlot(env))!;
    const second = (await acquireTtXlaSlot(env))!;
    expect(first.env).toEqual({ TMPDIR: path.join(cache, 'tt-xla', 'slot-0', 'tmp'), TT_METAL_CACHE: path.join(cache, 'tt-xla', 'slot-0') });
    expect(second.env.TMPDIR).toBe(path.join(cache, 'tt-xla', 'slot-1', 'tmp'));
    // What the first holder's process leaves behind: the unpacked toolchain, a system descriptor, temp files.
    mkdirSync(path.join(first.env.TMPDIR, 'libtt-tt-metal-runtime-assets-abc', 'runtime'), { recursive: true });
    writeFileSync(path.join(first.env.TMPDIR, 'tt_pjrt_system_descriptor'), 'x');
    mkdirSync(path.join(first.env.TMPDIR, 'tmpa1b2'));
    await first.release();
    const again = (await acquireTtXlaSlot(env))!;
    expect(again.dir).toBe(first.dir);
    expect(readdirSync(again.env.TMPDIR)).toEqual(['libtt-tt-metal-runtime-assets-abc']);
    await Promise.all([again.release(), second.release()]);
    expect(existsSync(`${first.dir}.lock`)).toBe(false);
  });

  it('lives under $TTPROBE_CACHE_DIR, else $XDG_CACHE_HOME/ttprobe, else ~/.cache/ttprobe', () => {
    expect(ttprobeCacheDir({ TTPROBE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(ttprobeCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/ttprobe');
    expect(ttprobeCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'ttprobe'));
  });
});
