import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURE_PROBES, onlyRunDir, readRecord, ROOT, tempDir } from './helpers.js';
import { outcome, record, VERDICTS, writeRun } from './run-records.js';

const runArgs = (runs: string, probes: string, ...more: string[]) => ['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', probes, '--target', 'cpu', '--no-report', ...more];

describe('a broken environment is a finding with exit code 4', () => {
  // An interpreter that is missing or cannot start is refused before the run (exit 2, test/config.test.ts).
  // One that starts but has lost its stack (a TT-XLA venv rebuilt without jax) is what breaks at night.
  const realRun = (runs: string, ...more: string[]) =>
    ['run', '--probes-dir', path.join(ROOT, 'probes'), '--runs-dir', runs, '--probe', 'jax-dot', '--target', 'cpu', '--no-report', ...more];
  const STACKLESS_PYTHON = '/usr/bin/python3';

  it('compare: a stack whose interpreter lost its modules, where the previous run ran, is a broken environment', async () => {
    const good = tempDir();
    const broken = tempDir();
    expect((await cli(realRun(good))).exitCode).toBe(0);
    const b = await cli(realRun(broken, '--python', STACKLESS_PYTHON));
    // The run itself has nothing to hold it against, so it still completes.
    expect(b.stdout).toContain('run complete: 1 skip');
    const base = onlyRunDir(good);
    const next = onlyRunDir(broken);
    const r = await cli(['compare', base, next]);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(new RegExp(
      `Broken environment \\(1\\):\\n  tt-xla \\[none\\] in ${path.basename(next)}: all 1 probe\\(s\\) stopped by the environment ` +
        `\\(missing-dependency: missing Python module\\(s\\): jax, numpy\\); it ran in ${path.basename(base)}`,
    ));
    // Whatever --fail-on names, a broken environment is never a quiet pass.
    expect((await cli(['compare', base, next, '--fail-on', 'timing'])).exitCode).toBe(4);
    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    expect(json.brokenEnvironment).toEqual([
      expect.objectContaining({ stack: 'tt-xla', tier: 'none', run: path.basename(next), reference: path.basename(base), probes: ['jax-dot'] }),
    ]);
    expect((await cli(['compare', base, next, '--md'])).stdout).toContain('### Broken environment (1)');
    // Back again: nothing broken the other way round.
    expect(JSON.parse((await cli(['compare', next, base, '--json'])).stdout).brokenEnvironment).toEqual([]);
  });

  it('run --baseline: the same breakage ends the run with 4, not a quiet complete', async () => {
    const good = tempDir();
    expect((await cli(realRun(good))).exitCode).toBe(0);
    const runs = tempDir();
    const r = await cli(realRun(runs, '--python', STACKLESS_PYTHON, '--baseline', onlyRunDir(good)));
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(/^broken environment: tt-xla \[none\] in \S+: all 1 probe\(s\) stopped by the environment \(missing-dependency: missing Python module\(s\): jax, numpy\); it ran in baseline /m);
    expect(readRecord(onlyRunDir(runs)).baseline!.brokenEnvironment).toHaveLength(1);
  });

  it('run without --baseline: held against the earlier runs of its tier in the same runs folder', async () => {
    const runs = tempDir();
    expect((await cli(realRun(runs))).exitCode).toBe(0);
    const r = await cli(realRun(runs, '--python', STACKLESS_PYTHON));
    expect(r.exitCode).toBe(4);
    const [earlier] = readdirSync(runs).sort();
    expect(r.stdout).toContain(`all 1 probe(s) stopped by the environment (missing-dependency: missing Python module(s): jax, numpy); it ran in ${earlier}`);
    // A probe of the stack that never ran anywhere before is no reference: the fixture skips every night.
    const other = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'needs-env', '--target', 'cpu', '--no-report']);
    expect(other.exitCode).toBe(0);
    expect(other.stdout).not.toContain('broken environment');
  });

  it('run --baseline: every probe of a stack skipped for a missing dependency, where the baseline expects it to run', async () => {
    const file = path.join(tempDir(), 'baseline.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, source: 'tt-box', expectations: { pass: { status: 'pass' } } }));
    const r = await cli(runArgs(tempDir(), 'pass,needs-env', '--baseline', file));
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toContain('broken environment: tt-metal [none]');
    expect(r.stdout).toContain('(missing-dependency: missing Python module(s): ttprobe_no_such_module; environment variable(s) not set: TTPROBE_FIXTURE_UNSET); it ran in baseline tt-box');
    // A baseline that expects the skip (a CPU box that never had the stack) is no news.
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, source: 'cpu-box', expectations: { 'needs-env': { status: 'skip', category: 'missing-dependency' } } }));
    const expected = await cli(runArgs(tempDir(), 'pass,needs-env', '--baseline', file));
    expect(expected.exitCode).toBe(0);
    expect(expected.stdout).not.toContain('broken environment');
  });

  it('compare: a stack that was skipped on both nights is not broken, and one probe skipped of several is lost coverage', async () => {
    const dir = tempDir();
    const metal = (status: keyof typeof VERDICTS) => ['ttmetal-matmul', 'resnet-tt-metal'].map((probe) => outcome({ probe, stack: 'tt-metal', ...VERDICTS[status] }));
    const night = (runId: string, day: number, outcomes: object[]) =>
      writeRun(dir, record({ runId, startedAt: `2026-06-0${day}T01:00:00.000Z`, outcomes: [outcome({ probe: 'jax-dot', status: 'pass' }), ...outcomes] }));
    const ran = night('ran', 1, metal('pass'));
    const gone = night('gone', 2, metal('skip'));
    const goneAgain = night('gone-again', 3, metal('skip'));
    const half = night('half', 4, [outcome({ probe: 'ttmetal-matmul', stack: 'tt-metal', ...VERDICTS.skip }), outcome({ probe: 'resnet-tt-metal', stack: 'tt-metal', status: 'pass' })]);

    const broke = await cli(['compare', ran, gone]);
    expect(broke.exitCode).toBe(4);
    expect(broke.stdout).toContain('tt-metal [n150] in gone: all 2 probe(s) stopped by the environment (missing-dependency: missing: dalle_mini); it ran in ran');
    expect(broke.stdout).toContain('Lost coverage (2):');

    const still = await cli(['compare', gone, goneAgain]);
    expect(still.exitCode).toBe(0);
    expect(still.stdout).not.toContain('Broken environment');

    const partly = await cli(['compare', ran, half]);
    expect(partly.exitCode).toBe(1);
    expect(partly.stdout).not.toContain('Broken environment');
    expect(partly.stdout).toContain('Lost coverage (1):\n  ttmetal-matmul [n150]: pass -> skip (missing-dependency: dalle_mini)');

    // Release mode: a night of the new release whose stack broke, against nights where it ran.
    const before = tempDir();
    const after = tempDir();
    for (const [d, runId, side, status] of [[1, 'a1', before, 'pass'], [2, 'a2', before, 'pass'], [3, 'b1', after, 'pass'], [4, 'b2', after, 'skip']] as const) {
      writeRun(side, record({ runId, startedAt: `2026-06-0${d}T01:00:00.000Z`, outcomes: metal(status) }));
    }
    const release = await cli(['compare', before, after, '--json']);
    expect(release.exitCode).toBe(4);
    expect(JSON.parse(release.stdout).brokenEnvironment).toEqual([expect.objectContaining({ run: 'b2', reference: 'a2', stack: 'tt-metal' })]);
  });
});
