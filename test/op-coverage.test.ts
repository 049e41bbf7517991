import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cli, onlyRunDir, readRecord, tempDir, writeInlineProbe } from './helpers.js';

// Real text of jax-tt-plugin 0.1.3 compiling jnp.linalg.cholesky for a mock P150.
const CHOLESKY_LOG = [
  '2026-12-05 09:02:46.276 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:235)',
  'loc(callsite("cholesky"("programs.py":140:15 to :87))): error: failed to legalize operation \'stablehlo.cholesky\'',
  'Traceback (most recent call last):',
  '  File "one_op.py", line 51, in main',
  'jaxlib._jax.XlaRuntimeError: INTERNAL: failed to legalize operation \'stablehlo.cholesky\'; Failed to convert from SHLO to TTIR module',
  '2026-12-05 09:03:06.570 | info     |    BuildKernels | JIT cache stats: 0/61 hits (0.00%) (jit_build_cache.cpp:50)',
].join('\n');

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
});

async function textOf(file: string, selector: string): Promise<string[]> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`file://${file}`);
  const texts = await page.locator(selector).allInnerTexts();
  await context.close();
  return texts;
}

describe('op-coverage', () => {
  it('runs each chosen op family in its own process on the CPU and shows them in the report', async () => {
    const runsDir = tempDir();
    const run = await cli(['run', '--target', 'cpu', '--probe', 'op-coverage', '--runs-dir', runsDir],
      cleanEnv({ TTPROBE_OP_FAMILIES: 'dot_general,rng,cholesky' }));
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    const runDir = onlyRunDir(runsDir);
    const [o] = readRecord(runDir).outcomes;
    expect(o.status).toBe('pass');
    expect(o.opVerdicts.map((v) => [v.family, v.status])).toEqual([['dot_general', 'pass'], ['rng', 'pass'], ['cholesky', 'pass']]);
    // Each family's own log, and the ops its lowered program held.
    const outDir = path.join(runDir, path.dirname(o.logs.stdout), 'out');
    for (const v of o.opVerdicts) expect(readFileSync(path.join(outDir, v.log), 'utf8')).not.toMatch(/Traceback/);
    expect(o.opVerdicts[0].opsSeen).toContain('stablehlo.dot_general');
    expect(o.result?.metrics).toMatchObject({ op_families: 3, op_families_ok: 3 });

    const rows = await textOf(path.join(runDir, 'report', 'index.html'), '#op-table tbody tr');
    expect(rows.map((r) => r.split('\t')[0])).toEqual(['matrix multiply', 'random numbers', 'cholesky']);
    expect(rows[2]).toMatch(/pass\s+cholesky/);
    const md = readFileSync(path.join(runDir, 'report', 'report.md'), 'utf8');
    expect(md).toMatch(/## Op coverage: TT-XLA vs tt-metal/);
    expect(md).toMatch(/\| cholesky \| \*\*pass\*\* \[cholesky\]\(/);
  });

  it('refuses an unknown op family by name', async () => {
    const runsDir = tempDir();
    const run = await cli(['run', '--target', 'cpu', '--probe', 'op-coverage', '--runs-dir', runsDir], cleanEnv({ TTPROBE_OP_FAMILIES: 'dot_general,cholesy' }));
    const [o] = readRecord(onlyRunDir(runsDir)).outcomes;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(o.status).toBe('fail');
    expect(o.reason).toMatch(/unknown op families: cholesy/);
  });

  it('classifies each failing family from its own log, and the site shows the op table per compiler', async () => {
    const probesDir = tempDir();
    writeInlineProbe(probesDir, 'fake-op-coverage', { title: 'op coverage stand-in', workload: 'op-coverage', stack: 'tt-xla' }, [
      '    import os',
      '    os.makedirs("ops", exist_ok=True)',
      `    open("ops/cholesky.log", "w").write(${JSON.stringify(CHOLESKY_LOG)})`,
      '    open("ops/dot_general.log", "w").write("compiled\\n")',
      '    run.op_results([',
      '        {"family": "dot_general", "op": "stablehlo.dot_general", "status": "pass", "seconds": 1.0, "log": "ops/dot_general.log"},',
      '        {"family": "cholesky", "op": "stablehlo.cholesky", "status": "fail", "seconds": 2.0, "log": "ops/cholesky.log", "stage": "compile"},',
      // A log path that leaves the output folder is never read.
      '        {"family": "fft", "op": "stablehlo.fft", "status": "fail", "seconds": 2.0, "log": "../../../../../../etc/hostname"},',
      '    ])',
      '    raise RuntimeError("2 of 3 op families did not run: cholesky, fft")',
    ]);
    const runsDir = tempDir();
    const run = await cli(['run', '--target', 'cpu', '--probes-dir', probesDir, '--runs-dir', runsDir]);
    expect(run.exitCode, run.stderr).toBe(0);
    const [o] = readRecord(onlyRunDir(runsDir)).outcomes;
    expect(o.status).toBe('fail');
    const byFamily = new Map(o.opVerdicts.map((v) => [v.family, v]));
    expect(byFamily.get('dot_general')).toMatchObject({ status: 'pass', category: null });
    expect(byFamily.get('cholesky')).toMatchObject({ status: 'fail', category: 'unsupported-op', failingOp: 'stablehlo.cholesky', layer: 'tt-mlir' });
    expect(byFamily.get('cholesky')!.decisive).toMatch(/failed to legalize operation 'stablehlo.cholesky'/);
    expect(byFamily.get('fft')!.decisive).toBeNull();
    expect(byFamily.get('fft')!.category).toBe('unknown');

    const site = path.join(tempDir(), 'site');
    const built = await cli(['site', runsDir, '--out', site]);
    expect(built.exitCode, built.stderr).toBe(0);
    const headers = await textOf(path.join(site, 'op-coverage.html'), '#op-coverage thead th');
    expect(headers.slice(1).join(' ')).toMatch(/TT-XLA version unknown/);
    const cells = await textOf(path.join(site, 'op-coverage.html'), '#op-coverage [data-family="cholesky"]');
    expect(cells).toEqual([expect.stringMatching(/fail\s+cholesky\s+stablehlo\.cholesky\s+unsupported-op: stablehlo\.cholesky/)]);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toMatch(/href="op-coverage.html"/);
  });
});
