import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

// A build that only adds runs saves the cached ones in the encoded form it loaded (no re-encoding);
// the cache it writes must read back whole and draw what the records draw.
describe('site: the run-record cache after a night is added', () => {
  it('reads back whole, and the site it draws is the one the records draw', async () => {
    const runs = tempDir();
    const night = (i: number, status: 'pass' | 'fail') =>
      writeRun(runs, record({ runId: `night-${i}`, startedAt: `2026-03-0${i}T00:00:00.000Z`, outcomes: [outcome({ probe: 'jax-dot', status }), outcome({ probe: `only-${i}`, status: 'pass', reason: `reason ${i}` })] }));
    night(1, 'pass');
    night(2, 'fail');
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runs, '--out', site])).stdout).toMatch(/\(2 read, 0 from the cache\)/);
    night(3, 'pass');
    expect((await cli(['site', runs, '--out', site])).stdout).toMatch(/\(1 read, 2 from the cache\)/);
    const again = await cli(['site', runs, '--out', site]);
    expect(again.stdout).toMatch(/\(0 read, 3 from the cache\)/);
    expect(again.stderr).not.toContain('ignored');

    const fresh = path.join(tempDir(), 'fresh');
    expect((await cli(['site', runs, '--out', fresh, '--no-cache'])).exitCode).toBe(0);
    for (const page of ['index.html', 'status.json', 'probes/only-3.html', 'probes/jax-dot.html']) {
      const strip = (file: string) => readFileSync(file, 'utf8').replace(/20\d\d-\d\d-\d\d[T ][\d:.]+Z?/g, 'DATE');
      expect(strip(path.join(site, page)), page).toBe(strip(path.join(fresh, page)));
    }
  });
});
