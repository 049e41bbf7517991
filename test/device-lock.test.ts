import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_BIN, FIXTURE_PROBES, SNAPSHOTS, cleanEnv, cli, fakeDeviceRoot, onlyRunDir, readRecord, startRun, tempDir, until } from './helpers.js';

// The device lock is taken before anything opens a device, per physical device (found by its node
// and PCI address, never by opening it), all of a run's devices or none.

const runArgs = (runsDir: string, ...rest: string[]) => ['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--no-report', ...rest];

/** A host with the fake tt-smi on PATH that counts its calls, the given device nodes, and its own lock folder. */
function host(snapshot: string, devices: Array<{ n: number; pci: string }>) {
  const calls = path.join(tempDir(), 'tt-smi.calls');
  const marks = tempDir();
  const env = cleanEnv({
    PATH: `${FAKE_BIN}:${process.env.PATH}`,
    FAKE_TT_SMI_SNAPSHOT: path.join(SNAPSHOTS, snapshot),
    FAKE_TT_SMI_MARK: calls,
    TTPROBE_DEVICE_ROOT: fakeDeviceRoot(devices),
    FIXTURE_MARK_DIR: marks,
  });
  const ttSmiCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0);
  return { env, marks, ttSmiCalls, root: env.TTPROBE_DEVICE_ROOT! };
}

/** A run whose slow probe holds the device until the test interrupts it. */
async function holdingRun(h: ReturnType<typeof host>, extra: NodeJS.ProcessEnv = {}) {
  const runsDir = tempDir();
  const child = startRun(runArgs(runsDir, '--probe', 'slow'), { ...h.env, FIXTURE_SLEEP: '120', ...extra });
  await until(() => existsSync(path.join(h.marks, 'slow')));
  return {
    child,
    runDir: onlyRunDir(runsDir),
    async stop() {
      child.kill('SIGINT');
      expect((await child).exitCode).toBe(130);
    },
  };
}

describe('the device lock comes before detection', () => {
  it('a second detect or run calls no tt-smi while a run holds the device, and says who holds it', async () => {
    const h = host('n150.json', [{ n: 0, pci: '0000:04:00.0' }]);
    const first = await holdingRun(h);
    try {
      expect(h.ttSmiCalls()).toBe(1);
      const busy = new RegExp(`device ${h.root}/dev/tenstorrent/0 \\(PCI 0000:04:00.0\\) is in use by ttprobe pid ${first.child.pid} on .* \\(run ${first.runDir}\\)`);

      const detect = await cli(['detect'], h.env);
      expect(detect.exitCode).toBe(3);
      expect(detect.stderr).toMatch(busy);
      const runsDir = tempDir();
      const run = await cli(runArgs(runsDir, '--probe', 'pass'), h.env);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toMatch(busy);
      expect(readdirSync(runsDir)).toEqual([]);
      expect(h.ttSmiCalls()).toBe(1);
    } finally {
      await first.stop();
    }
    expect(readRecord(first.runDir).lockedDevices).toEqual([
      { key: 'tt-pci-0000:04:00.0', label: `${h.root}/dev/tenstorrent/0 (PCI 0000:04:00.0)`, node: `${h.root}/dev/tenstorrent/0`, pci: '0000:04:00.0', serial: '0000010018117011' },
    ]);
    const after = await cli(['detect'], h.env);
    expect(after.exitCode).toBe(0);
    expect(h.ttSmiCalls()).toBe(2);
  });

  it('detect --wait-lock waits for the holder, then detects', async () => {
    const h = host('n150.json', [{ n: 0, pci: '0000:04:00.0' }]);
    const first = await holdingRun(h);
    const waiting = startRun(['detect', '--wait-lock', '120'], h.env);
    await new Promise((r) => setTimeout(r, 2000));
    expect(h.ttSmiCalls()).toBe(1);
    await first.stop();
    const waited = await waiting;
    expect(waited.exitCode).toBe(0);
    expect(waited.stderr).toContain(`waiting for the device lock held by ttprobe pid ${first.child.pid}`);
    expect(h.ttSmiCalls()).toBe(2);
  });
});

describe('one lock per physical device', () => {
  it('two N150s in one host are two devices: a run on one does not block the other; a run on both waits for both', async () => {
    const h = host('n150.json', [{ n: 0, pci: '0000:04:00.0' }, { n: 1, pci: '0000:05:00.0' }]);
    const first = await holdingRun(h, { TT_VISIBLE_DEVICES: '0' });
    try {
      const runsDir = tempDir();
      // By PCI address this time: tt-umd takes a BDF as well as a device number.
      const other = await cli(runArgs(runsDir, '--probe', 'pass'), { ...h.env, TT_VISIBLE_DEVICES: '0000:05:00.0' });
      expect(other.exitCode).toBe(0);
      expect(readRecord(onlyRunDir(runsDir)).lockedDevices.map((d) => d.pci)).toEqual(['0000:05:00.0']);

      const both = await cli(runArgs(tempDir(), '--probe', 'pass'), h.env);
      expect(both.exitCode).toBe(3);
      expect(both.stderr).toContain(`device ${h.root}/dev/tenstorrent/0 (PCI 0000:04:00.0) is in use by ttprobe pid ${first.child.pid}`);
      // All or none: the refused run let go of device 1 again.
      expect((await cli(['detect'], { ...h.env, TT_VISIBLE_DEVICES: '1' })).exitCode).toBe(0);
    } finally {
      await first.stop();
    }
    expect(readRecord(first.runDir).lockedDevices.map((d) => d.pci)).toEqual(['0000:04:00.0']);
  });

  it('a T3K run holds all four of its cards, so no other run gets any chip of it', async () => {
    const cards = [4, 5, 6, 7].map((bus, n) => ({ n, pci: `0000:0${bus}:00.0` }));
    const h = host('t3k.json', cards);
    const first = await holdingRun(h);
    try {
      const one = await cli(['detect'], { ...h.env, TT_VISIBLE_DEVICES: '2' });
      expect(one.exitCode).toBe(3);
      expect(one.stderr).toContain(`device ${h.root}/dev/tenstorrent/2 (PCI 0000:06:00.0) is in use by ttprobe pid ${first.child.pid}`);
      expect(h.ttSmiCalls()).toBe(1);
    } finally {
      await first.stop();
    }
    const record = readRecord(first.runDir);
    expect(record.device.tier).toBe('t3k');
    expect(record.lockedDevices.map((d) => [d.pci, d.serial])).toEqual([
      ['0000:04:00.0', '0000010018000000'],
      ['0000:05:00.0', '0000010018000001'],
      ['0000:06:00.0', '0000010018000002'],
      ['0000:07:00.0', '0000010018000003'],
    ]);
  });
});

describe('a stopped or robbed device holder', () => {
  it('a runner stopped past the old stale time keeps the device; once continued it finishes alone', async () => {
    const h = host('n150.json', [{ n: 0, pci: '0000:04:00.0' }]);
    const runsDir = tempDir();
    const first = startRun(runArgs(runsDir, '--probe', 'slow'), { ...h.env, FIXTURE_SLEEP: '16' });
    await until(() => existsSync(path.join(h.marks, 'slow')));
    process.kill(first.pid!, 'SIGSTOP');
    try {
      // proper-lockfile called a lock stale after 10 s without a refresh, whoever held it.
      await new Promise((r) => setTimeout(r, 13_000));
      const second = await cli(runArgs(tempDir(), '--probe', 'pass'), h.env);
      expect(second.exitCode, second.stderr).toBe(3);
      expect(second.stderr).toContain(`is in use by ttprobe pid ${first.pid} on `);
    } finally {
      process.kill(first.pid!, 'SIGCONT');
    }
    const done = await first;
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/ECOMPROMISED|Unhandled|uncaught|taken away/i);
    expect(readRecord(onlyRunDir(runsDir)).state).toBe('complete');
  });

  it('a runner whose device lock is replaced ends its run as interrupted (exit 130), never with an uncaught error', async () => {
    const h = host('n150.json', [{ n: 0, pci: '0000:04:00.0' }]);
    const first = await holdingRun(h);
    const lock = path.join(h.env.TTPROBE_LOCK_DIR!, 'tt-pci-0000:04:00.0.device.lock');
    // Another process's lock put in place of ours, as a takeover would.
    const forged = `${lock}.forged`;
    writeFileSync(forged, JSON.stringify({ pid: 1, host: 'elsewhere', since: new Date().toISOString(), identity: null, doing: 'run elsewhere' }));
    renameSync(forged, lock);
    const done = await first.child;
    expect(done.exitCode, done.stderr).toBe(130);
    expect(done.stderr).toContain(`the lock ${lock} was replaced by someone else; ending the run and recording it as interrupted`);
    expect(done.stderr).not.toMatch(/ECOMPROMISED|Unhandled|uncaught/i);
    const record = readRecord(first.runDir);
    expect(record.state).toBe('interrupted');
    expect(record.finishedAt).not.toBeNull();
    // The lock that replaced ours is left to its holder.
    expect(JSON.parse(readFileSync(lock, 'utf8')).host).toBe('elsewhere');
  });
});
