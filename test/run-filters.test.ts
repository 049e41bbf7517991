import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, cli, tempDir } from './helpers.js';

const PROBES = path.join(ROOT, 'probes');

// A typo must not empty the night: bad filters are refused before detection (a snapshot that does not
// exist would otherwise be the first complaint) and before a run directory exists.
describe('run filters that name nothing', () => {
  async function refused(...filters: string[]) {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', PROBES, '--runs-dir', runs, '--snapshot', path.join(runs, 'no-such-snapshot.json'), '--no-report', ...filters]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).not.toContain('no-such-snapshot');
    expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
    return r.stderr;
  }

  it('refuses an unknown stack naming the known ones and the nearest', async () => {
    const err = await refused('--stack', 'tt-xl');
    expect(err).toMatch(/unknown stack 'tt-xl' \(did you mean tt-xla\?\); known stacks: tt-xla, tt-metal/);
  });

  it('refuses an unknown tag and an unknown probe id the same way', async () => {
    expect(await refused('--tag', 'nosuchtag')).toMatch(/unknown tag 'nosuchtag'; known tags: .*\bvision\b/);
    expect(await refused('--probe', 'jax-dott')).toMatch(/unknown probe 'jax-dott' \(did you mean jax-dot\?\); known probes: .*jax-dot/);
  });

  it('refuses known filters that select no probe together', async () => {
    const err = await refused('--stack', 'tt-metal', '--probe', 'jax-dot');
    expect(err).toMatch(/select no probe: --probe jax-dot --stack tt-metal/);
  });
});
