import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../src/schemas/outcome.js';
import { cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, readRecord, ROOT, tempDir, writeInlineProbe } from './helpers.js';

/** Runs `probes` of `probesDir` through the CLI on the CPU and returns the run directory and its outcomes. */
async function run(args: string[], probesDir = FIXTURE_PROBES) {
  const runs = tempDir();
  const r = await cli(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  const runDir = onlyRunDir(runs);
  const outcomes = readRecord(runDir).outcomes;
  return { runDir, one: (id: string): Outcome => outcomes.find((o) => o.probe === id)! };
}

describe('stages: how far each probe got', () => {
  let runDir: string;
  let one: (id: string) => Outcome;
  beforeAll(async () => {
    ({ runDir, one } = await run(['--tag', 'stages']));
  });

  it('a probe that aborts in compile, with no result file, is recorded as crashed at compile', () => {
    const o = one('abort-at-compile');
    expect(o).toMatchObject({ status: 'crash', signal: 'SIGABRT', result: null });
    expect(o.stages).toEqual({ reached: ['import', 'setup', 'lower', 'compile'], last: 'compile', failedAt: 'compile', compiler: null });
    // The stage the probe wrote, not a guess from the log, makes an abort while compiling a compiler crash.
    expect(o.category).toBe('compiler-crash');
    expect(readFileSync(path.join(runDir, 'probes', 'abort-at-compile', 'stages.log'), 'utf8')).toBe('import\nsetup\nlower\ncompile\n');
  });

  it('reclassify keeps reading the recorded stage', async () => {
    const r = await cli(['reclassify', runDir]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readRecord(runDir).outcomes.find((o) => o.probe === 'abort-at-compile')).toMatchObject({ category: 'compiler-crash', stages: { failedAt: 'compile' } });
  });

  it("records TT-XLA's own bring-up stage beside the probe's, from ._bringup_stage.txt", () => {
    const o = one('ttmlir-abort');
    expect(o.stages).toMatchObject({ failedAt: 'compile', compiler: { marker: 'TTMLIR_COMPILATION_START', stage: 'tt-mlir' } });
    expect(o).toMatchObject({ status: 'crash', category: 'compiler-crash', ruleId: 'ttmlir-low-operand-constant' });
  });

  it('a failed comparison after the runtime ran is an incorrect result', () => {
    const o = one('incorrect-result');
    expect(o).toMatchObject({ status: 'fail', category: 'numerical-mismatch' });
    expect(o.stages).toEqual({
      reached: ['import', 'setup', 'lower', 'compile', 'execute', 'compare'],
      last: 'compare',
      failedAt: 'compare',
      compiler: { marker: 'RUNTIME_EXECUTION_START', stage: 'incorrect-result' },
    });
    expect(o.result!.stages).toEqual(o.stages!.reached);
  });

  it('the Markdown and HTML reports say where each probe failed', async () => {
    const md = readFileSync(path.join(runDir, 'report', 'report.md'), 'utf8');
    expect(md).toContain('- Stage: crashed at compile (TT-MLIR); reached import → setup → lower → compile');
    expect(md).toContain('_failed at compare (incorrect result)_');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${path.join(runDir, 'report', 'index.html')}`);
      await expect(page.locator('#matrix .stage').allInnerTexts()).resolves.toEqual(
        expect.arrayContaining(['crashed at compile', 'crashed at compile (TT-MLIR)', 'failed at compare (incorrect result)']),
      );
      await expect(page.locator('#probe-ttmlir-abort p.stage').innerText()).resolves.toBe(
        'Stage: crashed at compile (TT-MLIR); reached import → setup → lower → compile',
      );
    } finally {
      await browser.close();
    }
  });
});

describe('stages of real probes and of other stacks', () => {
  it('a JAX probe on the CPU reaches every stage through the helper, and passes', async () => {
    const { runDir, one } = await run(['--probes-dir', path.join(ROOT, 'probes'), '--probe', 'jax-dot']);
    const o = one('jax-dot');
    expect(o.status).toBe('pass');
    expect(o.stages).toEqual({ reached: ['import', 'setup', 'lower', 'compile', 'execute', 'compare'], last: 'compare', failedAt: null, compiler: null });
    // jax-dot runs two programs: the file keeps both cycles, in order.
    const lines = readFileSync(path.join(runDir, 'probes', 'jax-dot', 'stages.log'), 'utf8').trim().split('\n');
    expect(lines).toEqual(['import', 'setup', 'lower', 'compile', 'execute', 'compare', 'lower', 'compile', 'execute', 'compare']);
  });

  it("a marker an earlier program left never labels a later program's failure", async () => {
    // Program 1 compiled and ran (the plugin left RUNTIME_EXECUTION_START); program 2 crashed compiling
    // before the plugin wrote anything: the crash is at compile, not "(runtime)".
    const probesDir = tempDir();
    const body = (secondProgram: boolean) => [
      '    run.stage("setup")',
      '    run.stage("lower")',
      '    with run.timer("compile"):',
      '        open("._bringup_stage.txt", "w").write("TTMLIR_COMPILATION_START\\n")',
      '    with run.timer("execute"):',
      '        open("._bringup_stage.txt", "w").write("RUNTIME_EXECUTION_START\\n")',
      '    time.sleep(0.05)',
      ...(secondProgram ? ['    run.stage("lower")', '    run.stage("compile")'] : []),
      '    sys.stderr.write("Fatal Python error: Aborted\\n")',
      '    os.abort()',
    ];
    writeInlineProbe(probesDir, 'stale-marker', { title: 'stale marker', stack: 'tt-xla', timeoutSeconds: 30 }, body(true), ['import os, sys, time']);
    writeInlineProbe(probesDir, 'fresh-marker', { title: 'fresh marker', stack: 'tt-xla', timeoutSeconds: 30 }, body(false), ['import os, sys, time']);
    const { one } = await run(['--probe', 'stale-marker', '--probe', 'fresh-marker'], probesDir);
    const stale = one('stale-marker');
    expect(stale).toMatchObject({ status: 'crash', stages: { last: 'compile', failedAt: 'compile', compiler: null } });
    expect(stale.notes).toContain('._bringup_stage.txt: RUNTIME_EXECUTION_START was written before the probe entered compile (an earlier program\'s); ignored');
    // The same marker, written in the stage the probe died in, still counts.
    expect(one('fresh-marker').stages).toMatchObject({ failedAt: 'execute', compiler: { marker: 'RUNTIME_EXECUTION_START', stage: 'runtime' } });
  });

  it("tt-metal probes do not get TT-XLA's stage logging; lines naming no stage are ignored and counted", async () => {
    const probesDir = tempDir();
    writeInlineProbe(probesDir, 'metal-stages', { title: 'tt-metal stages', stack: 'tt-metal', timeoutSeconds: 30 }, [
      '    run.stage("setup")',
      '    run.detail("bringup_logging", os.environ.get("ENABLE_BRINGUP_STAGE_LOGGING", "unset"))',
      '    open(os.environ["TTPROBE_STAGE_FILE"], "a").write("not-a-stage\\n")',
      '    with run.timer("execute"):',
      '        raise RuntimeError("ttnn op failed")',
    ], ['import os']);
    const { one } = await run(['--probe', 'metal-stages'], probesDir);
    const o = one('metal-stages');
    expect(o).toMatchObject({ status: 'fail', stages: { reached: ['import', 'setup', 'execute'], failedAt: 'execute', compiler: null } });
    expect(o.result!.details.bringup_logging).toBe('unset');
    expect(o.notes).toContain('stages.log: 1 line(s) that name no stage were ignored');
  });
});
