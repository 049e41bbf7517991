import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, tempDir } from './helpers.js';
import { outcome, record, VERDICTS, writeRun } from './run-records.js';

describe('history: flaky only when attempts or runs on identical versions disagree', () => {
  it('a probe retried and failing the same way every time is a consistent failure; one that fails then passes is flaky', async () => {
    const runs = tempDir();
    const r = await cli(
      ['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'fail-legalize,flaky', '--target', 'cpu', '--retries', '2', '--no-report'],
      cleanEnv({ FIXTURE_MARK_DIR: tempDir() }),
    );
    expect(r.exitCode).toBe(0);
    const h = JSON.parse((await cli(['history', runs, '--json'])).stdout);
    expect(h.flaky.map((f: { probe: string }) => f.probe)).toEqual(['flaky']);
    expect(h.flaky[0]).toMatchObject({ why: ['attempts disagree'], passes: 1, runs: 1 });
    expect(h.consistentFailures).toEqual([
      expect.objectContaining({ probe: 'fail-legalize', runs: 1, attempts: 3, outcome: 'fail (unsupported-op: stablehlo.reduce_window)' }),
    ]);
    const text = (await cli(['history', runs])).stdout;
    expect(text).toMatch(/Flaky \(attempts or runs on identical versions disagree\):\n {2}flaky \[none\] 1\/1 pass on [^\n]*: attempts disagree \(fail \([\w-]+: arc-timeout\) \| pass\)\n/);
    expect(text).toMatch(/Consistent failures \(tried more than once, failed the same way every time\):\n {2}fail-legalize \[none\] fail \(unsupported-op: stablehlo\.reduce_window\) on all 3 attempt\(s\) in 1 run\(s\)/);
    // The same run through compare: the consistent failure is no flake there either.
    const c = JSON.parse((await cli(['compare', onlyRunDir(runs), onlyRunDir(runs), '--json'])).stdout);
    expect(c.changes.filter((x: { kind: string }) => x.kind === 'flaky').map((x: { probe: string }) => x.probe)).toEqual(['flaky']);
  });

  it('runs on identical versions that disagree are flaky; the same change across versions is not', async () => {
    const dir = tempDir();
    const nights: Array<[string, string, Record<string, keyof typeof VERDICTS>]> = [
      ['r1', '80.18.0.0', { steady: 'fail', wobbly: 'fail', upgraded: 'pass' }],
      ['r2', '80.18.0.0', { steady: 'fail', wobbly: 'crash', upgraded: 'pass' }],
      ['r3', '80.19.0.0', { steady: 'fail', wobbly: 'fail', upgraded: 'fail' }],
    ];
    nights.forEach(([runId, fw, statuses], i) =>
      writeRun(dir, record({
        runId, firmwareBundle: fw, startedAt: `2026-07-0${i + 1}T01:00:00.000Z`,
        outcomes: Object.entries(statuses).map(([probe, s]) => outcome({ probe, ...VERDICTS[s] })),
      })),
    );
    const h = JSON.parse((await cli(['history', dir, '--json'])).stdout);
    expect(h.flaky).toEqual([expect.objectContaining({ probe: 'wobbly', why: ['runs disagree'], runs: 2, versions: expect.stringContaining('fw 80.18.0.0') })]);
    expect(h.consistentFailures).toEqual([expect.objectContaining({ probe: 'steady', runs: 2, attempts: 2, versions: expect.stringContaining('fw 80.18.0.0') })]);
  });
});

describe('merge refuses records that are not shards of one run, naming the field', () => {
  it('refuses shards run with different options (size, retries)', async () => {
    const shard = async (i: number, ...more: string[]) => {
      const runs = tempDir();
      const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,fail-legalize', '--target', 'cpu', '--shard', `${i}/2`, '--no-report', ...more]);
      expect(r.exitCode).toBe(0);
      return onlyRunDir(runs);
    };
    const one = await shard(1);
    const twoFull = await shard(2, '--size', 'full');
    const out = path.join(tempDir(), 'merged');
    const size = await cli(['merge', one, twoFull, '--out', out]);
    expect(size.exitCode).toBe(2);
    expect(size.stderr).toContain(`${path.join(twoFull, 'run.json')}: field 'options.size': is "full" here but "tiny" in ${path.join(one, 'run.json')}`);
    expect(existsSync(out)).toBe(false);
    const twoRetried = await shard(2, '--retries', '1');
    const retries = await cli(['merge', one, twoRetried, '--out', out]);
    expect(retries.exitCode).toBe(2);
    expect(retries.stderr).toContain("field 'options.retries': is 1 here but 0");
    const config = path.join(tempDir(), 'ttprobe.config.json');
    writeFileSync(config, JSON.stringify({ stacks: { 'tt-xla': { env: { XLA_FLAGS: '--xla_cpu_enable_fast_math=false' } } } }));
    const twoConfigured = await shard(2, '--config', config);
    const configured = await cli(['merge', one, twoConfigured, '--out', out]);
    expect(configured.exitCode).toBe(2);
    expect(configured.stderr).toContain(`${path.join(twoConfigured, 'run.json')}: field 'options.stacks.tt-xla.env': is {"XLA_FLAGS":"sha256:`);
    expect(existsSync(out)).toBe(false);
    const two = await shard(2);
    expect((await cli(['merge', one, two, '--out', out])).exitCode).toBe(0);
  });

  // Issue 22, item 21: a record keeps the timeouts of its own probes only, so shards' timeouts differ and are joined.
  it('joins the shards\' timeouts, each shard having kept those of its own probes', async () => {
    const config = path.join(tempDir(), 'ttprobe.config.json');
    writeFileSync(config, JSON.stringify({ timeouts: { pass: 40, 'fail-legalize': 30, hang: 5 } }));
    const shards = [];
    for (const i of [1, 2]) {
      const runs = tempDir();
      const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,fail-legalize', '--target', 'cpu', '--shard', `${i}/2`, '--no-report', '--config', config]);
      expect(r.exitCode, r.stderr).toBe(0);
      shards.push(onlyRunDir(runs));
    }
    const expected = { pass: 40, 'fail-legalize': 30 };
    for (const dir of shards) {
      const { planned, options } = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
      expect(planned).toHaveLength(1);
      expect(options.timeouts).toEqual({ [planned[0]]: expected[planned[0] as keyof typeof expected] });
    }
    const out = path.join(tempDir(), 'merged');
    const m = await cli(['merge', ...shards, '--out', out]);
    expect(m.exitCode, m.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')).options.timeouts).toEqual(expected);
  });

  it('refuses shards of different firmware or stack versions', async () => {
    const dir = tempDir();
    const shard = (runId: string, probe: string, versions: object) =>
      writeRun(dir, record({ runId, startedAt: '2026-07-01T01:00:00.000Z', outcomes: [outcome({ probe, status: 'pass' })], ...versions }));
    const a = shard('a', 'jax-dot', {});
    const cases: Array<[object, string, string]> = [
      [{ firmwareBundle: '80.17.0.0' }, 'fingerprint.firmwareBundle', '"80.17.0.0" here but "80.18.0.0"'],
      [{ plugin: '0.2.0' }, 'fingerprint.plugin', '"0.2.0" here but "0.1.0"'],
      [{ ttMetal: 'v0.63.0' }, 'fingerprint.ttMetal', '"v0.63.0" here but "v0.62.0"'],
    ];
    for (const [versions, field, values] of cases) {
      const b = shard(`b-${field}`, 'cnn-flax', versions);
      const r = await cli(['merge', a, b, '--out', path.join(tempDir(), 'm')]);
      expect(r.exitCode, field).toBe(2);
      expect(r.stderr).toContain(`${path.join(b, 'run.json')}: field '${field}': is ${values} in ${path.join(a, 'run.json')}`);
    }
    const record0 = JSON.parse(readFileSync(path.join(a, 'run.json'), 'utf8'));
    expect(record0.fingerprint.firmwareBundle).toBe('80.18.0.0');
  });
});
