import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { VERDICTS, outcome, record, writeRun } from './run-records.js';

// A release's nights as a folder of runs: per night, each probe's status.
function release(dir: string, fw: string, nights: Array<Record<string, keyof typeof VERDICTS>>, day0 = 1) {
  nights.forEach((statuses, i) =>
    writeRun(dir, record({
      runId: `${fw}-night-${i}`, startedAt: `2026-05-${String(day0 + i).padStart(2, '0')}T01:00:00.000Z`, firmwareBundle: fw,
      outcomes: Object.entries(statuses).map(([probe, status]) => outcome({ probe, ...VERDICTS[status] })),
    })),
  );
}

describe('compare, release against release, on few nights', () => {
  it('calls every night passed before and every night fails now a regression at 2 nights a side', async () => {
    const base = tempDir();
    const next = tempDir();
    release(base, '80.18.0.0', [{ 'cnn-flax': 'pass', 'jax-dot': 'pass' }, { 'cnn-flax': 'pass', 'jax-dot': 'pass' }]);
    release(next, '80.19.0.0', [{ 'cnn-flax': 'crash', 'jax-dot': 'pass' }, { 'cnn-flax': 'crash', 'jax-dot': 'pass' }], 3);

    const text = await cli(['compare', base, next]);
    expect(text.exitCode, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/Regressions \(1\):\n {2}cnn-flax \[n150\]: 2\/2 nights pass -> 0\/2 nights pass, crash \(compiler-crash: ttir-low-operand-constant\)/);
    expect(text.stdout).not.toContain('No probe changed');

    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    const change = json.changes.find((c: { probe: string }) => c.probe === 'cnn-flax');
    expect(change).toMatchObject({ kind: 'regression', rates: { basePasses: 2, baseRuns: 2, newPasses: 0, newRuns: 2 } });

    const md = await cli(['compare', base, next, '--md']);
    expect(md.stdout).toContain('| cnn-flax | n150 | 2/2 nights pass -&gt; 0/2 nights pass');
  });

  it('fixes at any count the other way, and shows the nights of a change that is not significant', async () => {
    const base = tempDir();
    const next = tempDir();
    release(base, '80.18.0.0', [{ fixed: 'fail', mixed: 'pass' }, { fixed: 'fail', mixed: 'pass' }, { fixed: 'fail', mixed: 'pass' }]);
    release(next, '80.19.0.0', [{ fixed: 'pass', mixed: 'fail' }, { fixed: 'pass', mixed: 'pass' }, { fixed: 'pass', mixed: 'pass' }], 4);
    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    const kindOf = (probe: string) => json.changes.find((c: { probe: string }) => c.probe === probe);
    expect(kindOf('fixed')).toMatchObject({ kind: 'fix', transition: expect.stringMatching(/^0\/3 nights pass -> 3\/3 nights pass/) });
    expect(kindOf('mixed')).toMatchObject({ kind: 'flaky', transition: expect.stringMatching(/^3\/3 nights pass -> 2\/3 nights pass \(p = 1\.0\)/) });
  });

  it("lists the regression under Broke on the site's release page, with each side's nights", async () => {
    const runs = tempDir();
    release(path.join(runs, 'a'), '80.18.0.0', [{ 'cnn-flax': 'pass', 'jax-dot': 'pass' }, { 'cnn-flax': 'pass', 'jax-dot': 'pass' }]);
    release(path.join(runs, 'b'), '80.19.0.0', [{ 'cnn-flax': 'crash', 'jax-dot': 'pass' }, { 'cnn-flax': 'crash', 'jax-dot': 'pass' }], 3);
    const out = path.join(tempDir(), 'site');
    const r = await cli(['site', runs, '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const page = readFileSync(path.join(out, 'releases', 'firmware-80.19.0.0.html'), 'utf8');
    const section = (cls: string) => page.match(new RegExp(`<ul class="${cls}">([\\s\\S]*?)</ul>`))?.[1] ?? '';
    expect(section('broke')).toMatch(/cnn-flax<\/code><\/a>: 2\/2 nights pass -&gt; 0\/2 nights pass/);
    expect(section('unchanged')).not.toContain('cnn-flax');
    expect(section('unchanged')).toMatch(/jax-dot<\/code><\/a> <span class="badge [^"]*">pass<\/span> <small>2\/2 nights pass -&gt; 2\/2 nights pass<\/small>/);
  });
});
