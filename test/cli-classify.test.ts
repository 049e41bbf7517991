import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, CLI, cli, FIXTURE_PROBES, FIXTURES, onlyRunDir, readRecord, ROOT, tempDir } from './helpers.js';

const log = (name: string) => path.join(FIXTURES, 'logs', name);

describe('ttprobe classify', () => {
  it('triages raw logs with no run, as JSON', async () => {
    const { exitCode, stdout } = await cli(['classify', '--json', log('sd-flax-reduce-window.log'), log('unknown-night1.log')]);
    expect(exitCode).toBe(0);
    const [sd, unknown] = JSON.parse(stdout);
    expect(sd).toMatchObject({ ruleId: 'stablehlo-reduce-window-legalize', category: 'unsupported-op', layer: 'tt-mlir', details: { op: 'stablehlo.reduce_window' } });
    expect(sd.evidence[0]).toContain("failed to legalize operation 'stablehlo.reduce_window'");
    expect(unknown).toMatchObject({ ruleId: null, category: 'unknown' });
    expect(unknown.signature).toMatch(/^sig-/);
  });

  it('reads a log pasted on stdin', async () => {
    const { stdout } = await execa('node', [CLI, 'classify', '-'], {
      input: readFileSync(log('bert-flax-slice-dim.log')),
      env: cleanEnv(),
      extendEnv: false,
    });
    expect(stdout).toContain('category: runtime-fatal  layer: tt-metal');
    expect(stdout).toContain('rule:     ttnn-slice-dim-num-devices');
  });

  it('streams stdin: 300 MB piped in classify with a peak RSS far below the input (issue 22, item 13)', async () => {
    // Reading all of stdin first took 861 MB RSS for 256 MiB and a V8 fatal error for 2 GiB.
    const fatal = readFileSync(log('bert-flax-slice-dim.log'), 'utf8');
    const script = `{ yes 'INFO step ok: nothing to see on this line of filler' | head -c 300000000; printf '\\n'; cat; } | /usr/bin/time -v node ${JSON.stringify(CLI)} classify -`;
    const r = await execa('bash', ['-c', script], { input: fatal, env: cleanEnv(), extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('rule:     ttnn-slice-dim-num-devices');
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(200_000);
  });

  it("never names one rule's failure with another rule's op (fft's complex types beside cholesky's legalize)", async () => {
    const log = path.join(tempDir(), 'op-coverage.log');
    writeFileSync(log, [
      `loc("jit(f)/fft"): error: failed to legalize unresolved materialization from ('tensor<8x8x2xf32>') to ('tensor<8x8xcomplex<f32>>') that remained live after conversion`,
      `error: failed to legalize operation 'stablehlo.cholesky'`,
    ].join('\n') + '\n');
    const r = await cli(['classify', log, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const [verdict] = JSON.parse(r.stdout);
    expect(verdict.ruleId).toBe('complex-type-unsupported');
    expect(verdict.details).toEqual({});
  });

  it('exits 2 for a missing file', async () => {
    const r = await cli(['classify', '/nonexistent.log']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('/nonexistent.log');
  });
});

describe('ttprobe catalog check', () => {
  it('passes on the shipped catalog', async () => {
    const r = await cli(['catalog', 'check']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\d+ entries, \d+ examples: ok/);
  });

  it('names file and field of an authoring error and exits 2', async () => {
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
    catalog.entries[3].category = 'bad-category';
    const file = path.join(tempDir(), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const r = await cli(['catalog', 'check', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}: 'entries.3.category'`);
  });

  it('exits 1 when an example no longer matches its entry', async () => {
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
    catalog.entries[0].examples.push('nothing to see here');
    const file = path.join(tempDir(), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const r = await cli(['catalog', 'check', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('matches no entry');
  });
});

describe('ttprobe reclassify', () => {
  it("re-applies a newer catalog to a stored run's logs and keeps the old verdicts", async () => {
    const runsDir = tempDir();
    await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'unknown-failure', '--target', 'cpu', '--no-report']);
    const runDir = onlyRunDir(runsDir);
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
    const shippedVersion = catalog.version;
    catalog.version = 'next';
    catalog.entries.push({
      id: 'widget-mismatch', title: 'Widget buffer mismatch', category: 'runtime-fatal', layer: 'jax', priority: 500,
      patterns: [{ regex: 'widget (?<addr>0x[0-9a-f]+) buffer' }], examples: ['ValueError: widget 0x1 buffer 2 mismatch'],
    });
    const file = path.join(tempDir(), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const r = await cli(['reclassify', runDir, '--catalog', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/unknown-failure: fail\/unknown\/sig-[0-9a-f]+ -> fail\/runtime-fatal\/widget-mismatch/);
    const record = readRecord(runDir);
    expect(record.catalogVersion).toBe('next');
    const [o] = record.outcomes;
    expect(o).toMatchObject({ ruleId: 'widget-mismatch', details: { addr: '0x7f3a2c' } });
    expect(o!.previousVerdicts[0]).toMatchObject({ category: 'unknown', catalogVersion: shippedVersion });
  });
});

describe('ttprobe reclassify keeps what the runner knew of the process', () => {
  /** A catalog one version newer than the shipped one, so reclassify has something to apply. */
  function nextCatalog(): string {
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
    catalog.version = 'next';
    const file = path.join(tempDir(), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    return file;
  }

  it('a probe whose command could not start stays "could not start", with started false', async () => {
    const probesDir = tempDir();
    mkdirSync(path.join(probesDir, 'no-such-command'));
    writeFileSync(path.join(probesDir, 'no-such-command', 'probe.json'), JSON.stringify({
      id: 'no-such-command', title: 'its program is not installed', stack: 'tt-xla', workload: 'fixture',
      command: ['ttprobe-test-no-such-program'], timeoutSeconds: 30, needsDevice: false,
    }));
    const runsDir = tempDir();
    const run = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runsDir, '--target', 'cpu', '--no-report']);
    expect(run.exitCode).toBe(0);
    const runDir = onlyRunDir(runsDir);
    const [ran] = readRecord(runDir).outcomes;
    expect(ran).toMatchObject({ status: 'fail', category: 'environment', started: false, spawnError: expect.stringContaining('ENOENT') });
    expect(ran!.reason).toMatch(/^could not start the probe: .*ENOENT/);

    const r = await cli(['reclassify', runDir, '--catalog', nextCatalog()]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('0 changed');
    const [again] = readRecord(runDir).outcomes;
    expect(again).toMatchObject({ status: 'fail', category: 'environment', started: false, reason: ran!.reason, spawnError: ran!.spawnError });
  });

  it("a timed-out probe keeps its time limit and stays a timeout, reclassified twice", async () => {
    const runsDir = tempDir();
    await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runsDir, '--probe', 'hang', '--target', 'cpu', '--no-report']);
    const runDir = onlyRunDir(runsDir);
    const [ran] = readRecord(runDir).outcomes;
    expect(ran).toMatchObject({ status: 'timeout', timedOut: true, timeoutSeconds: 2, started: true, spawnError: null });
    for (const round of [1, 2]) {
      const r = await cli(['reclassify', runDir, '--catalog', nextCatalog()]);
      expect(r.exitCode).toBe(0);
      const [o] = readRecord(runDir).outcomes;
      expect(o).toMatchObject({ status: 'timeout', category: 'timeout', timedOut: true, timeoutSeconds: 2 });
      expect(o!.reason).toMatch(/^no result within 2s; process group killed/);
      expect(o!.previousVerdicts).toHaveLength(round);
    }
  });
});
