import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../safety/process-identity.js';
import { tryTakeLock, type HeldLock } from './held-lock.js';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'ttprobe-held-lock-'));
const isHeld = (x: HeldLock | { busy: unknown }): x is HeldLock => !('busy' in x);

/** A lock file naming a process that has exited: its identity was taken while it lived. */
async function deadHolderLock(file: string) {
  const child = execa('sleep', ['30']);
  const identity = identityOf(child.pid!);
  child.kill('SIGKILL');
  await child.catch(() => undefined);
  writeFileSync(file, JSON.stringify({ pid: child.pid, host: os.hostname(), since: new Date().toISOString(), identity }));
}

describe('held-lock', () => {
  it('refuses while the holder lives, however old the lock, and names the holder', async () => {
    const file = path.join(scratch(), 'x.lock');
    const held = await tryTakeLock(file, { doing: 'testing' });
    expect(isHeld(held)).toBe(true);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(file, old, old);
    const second = await tryTakeLock(file, {});
    expect(second).toMatchObject({ busy: { pid: process.pid, host: os.hostname(), doing: 'testing' } });
    await (held as HeldLock).release();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('of many takers of a dead holder\'s lock, exactly one gets it', async () => {
    const file = path.join(scratch(), 'x.lock');
    await deadHolderLock(file);
    const results = await Promise.all(Array.from({ length: 8 }, () => tryTakeLock(file, {})));
    const winners = results.filter(isHeld);
    expect(winners).toHaveLength(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await winners[0]!.release();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('takes over a lock of the older folder format only once it has not been refreshed for 10 s', async () => {
    const file = path.join(scratch(), 'x.lock');
    mkdirSync(file);
    expect(await tryTakeLock(file, {})).toEqual({ busy: null });
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const taken = await tryTakeLock(file, {});
    expect(isHeld(taken)).toBe(true);
    await (taken as HeldLock).release();
  });

  it('says when the lock was removed under its holder, and then leaves the path alone', async () => {
    const file = path.join(scratch(), 'x.lock');
    const held = (await tryTakeLock(file, {})) as HeldLock;
    await held.rewrite({ doing: 'run somewhere' });
    expect(JSON.parse(readFileSync(file, 'utf8')).doing).toBe('run somewhere');
    rmSync(file);
    await new Promise<void>((resolve) => held.lost.addEventListener('abort', () => resolve(), { once: true }));
    expect(String(held.lost.reason)).toBe(`the lock ${file} was removed by someone else`);
    writeFileSync(file, 'someone else');
    await held.release();
    expect(readFileSync(file, 'utf8')).toBe('someone else');
  });
});
