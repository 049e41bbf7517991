import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURE_PROBES, onlyRunDir, readRecord, tempDir } from './helpers.js';

function baselineFile(expectations: Record<string, object>): string {
  const file = path.join(tempDir(), 'baseline.json');
  writeFileSync(file, JSON.stringify({ schemaVersion: 1, source: 'hand-written', expectations }));
  return file;
}

const run = (probes: string, baseline: string, runs = tempDir()) =>
  cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', probes, '--target', 'cpu', '--no-report', '--baseline', baseline]);

describe('a baseline expects an outcome, not just "a failure"', () => {
  it('matches status, category and rule: a probe expected to fail on reduce_window that segfaults is unexpected', async () => {
    const file = baselineFile({
      'fail-legalize': { status: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-reduce-window-legalize' },
      segfault: { status: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-reduce-window-legalize' },
      'unknown-failure': { status: 'fail', category: 'unsupported-op' },
    });
    const runs = tempDir();
    const r = await run('pass,fail-legalize,segfault,unknown-failure', file, runs);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('against baseline hand-written: 1 expected failure(s), 2 unexpected failure(s) (segfault, unknown-failure), 0 unexpected pass(es), 0 unexpected skip(s)');
    expect(r.stdout).toContain('  segfault: expected fail (unsupported-op: stablehlo-reduce-window-legalize), got crash (unknown: segfault)');
    expect(r.stdout).toMatch(/ {2}unknown-failure: expected fail \(unsupported-op\), got fail \(unknown: sig-[0-9a-f]+\)/);
    const b = readRecord(onlyRunDir(runs)).baseline!;
    expect(b.expectedFailures).toEqual(['fail-legalize']);
    expect(b.mismatches.map((m) => m.probe)).toEqual(['segfault', 'unknown-failure']);
  });

  it('a rule id that differs makes the failure unexpected; a baseline without one accepts any rule', async () => {
    const strict = await run('fail-legalize', baselineFile({ 'fail-legalize': { status: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-scatter-legalize' } }));
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain('fail-legalize: expected fail (unsupported-op: stablehlo-scatter-legalize), got fail (unsupported-op: stablehlo-reduce-window-legalize)');
    const loose = await run('fail-legalize', baselineFile({ 'fail-legalize': { status: 'fail' } }));
    expect(loose.exitCode).toBe(0);
    expect(loose.stdout).toContain('1 expected failure(s), 0 unexpected failure(s)');
  });

  it("a baseline taken from a run expects that run's outcomes again, as a file or as the run directory", async () => {
    const runs = tempDir();
    await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,fail-legalize,segfault', '--target', 'cpu', '--no-report']);
    const b = await cli(['baseline', onlyRunDir(runs)]);
    const expectations = JSON.parse(b.stdout).expectations;
    expect(expectations.segfault).toMatchObject({ status: 'crash', category: 'unknown', ruleId: 'segfault' });
    expect(expectations['fail-legalize']).toMatchObject({ status: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-reduce-window-legalize' });
    const file = path.join(tempDir(), 'baseline.json');
    writeFileSync(file, b.stdout);
    const same = await run('pass,fail-legalize,segfault', file);
    expect(same.exitCode).toBe(0);
    expect(same.stdout).toContain('2 expected failure(s), 0 unexpected failure(s)');
    // The run directory itself works as a baseline too.
    const fromDir = await run('pass,fail-legalize,segfault', onlyRunDir(runs));
    expect(fromDir.exitCode).toBe(0);
  });

  it('an expected pass that now skips is reported and fails the run', async () => {
    // needs-env skips (a missing module); artifacts, of the same stack, still runs: coverage lost, the environment stands.
    const r = await run('artifacts,needs-env', baselineFile({}));
    expect(r.stdout).toContain('1 unexpected skip(s) (needs-env)');
    expect(r.stdout).toContain('  needs-env: expected pass, got skip (missing-dependency: ttprobe_no_such_module)');
    expect(r.stdout).not.toContain('broken environment');
    expect(r.exitCode).toBe(1);
    const expectedSkip = await run('artifacts,needs-env', baselineFile({ 'needs-env': { status: 'skip' } }));
    expect(expectedSkip.exitCode).toBe(0);
  });
});
