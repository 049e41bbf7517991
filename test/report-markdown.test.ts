import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

const LONG_REASON = 'StableHLO reduce_window cannot be legalized to TTIR because the pooling window of the max pool layer uses padding that the lowering does not accept for this configuration';
/** The report's source width for op lists. */
const WIDTH = 100;
const OPS = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`stablehlo.some_long_operation_name_${String(i).padStart(2, '0')}`, i + 1]));

/** One night: cnn-flax fails on reduce_window with a long reason, a timing, a metric and a census of 30 ops. */
function run(): string {
  const o = outcome({
    probe: 'cnn-flax', workload: 'cnn', status: 'fail', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'stablehlo-reduce-window-legalize',
    details: { op: 'stablehlo.reduce_window' }, reason: LONG_REASON, metrics: { items_per_s: 123.456 }, durationS: 10,
  });
  o.result.censusPhases = [{ phase: 'workload', placement: 'target', modules: [{ name: 'jit_forward', file: null, ops: OPS }] }];
  return writeRun(tempDir(), record({ runId: 'night', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [o, outcome({ probe: 'jax-dot', status: 'pass', durationS: 2 })] }));
}

describe('the Markdown report', () => {
  it('cuts long cells at a word with an ellipsis and links the upstream issue', async () => {
    const dir = run();
    const r = await cli(['report', dir, '--format', 'md']);
    expect(r.exitCode, r.stderr).toBe(0);
    const md = readFileSync(path.join(dir, 'report', 'report.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| cnn |'))!;
    expect(row).toContain('uses padding that the lowering does not accept for this… [upstream issue]');
    expect(row).not.toContain('configuration');
    expect(row).toContain('[upstream issue](https://github.com/tenstorrent/tt-xla/issues/321)');
  });

  it('gives each probe its timings and metrics, and wraps long op lists', async () => {
    const dir = run();
    expect((await cli(['report', dir, '--format', 'md'])).exitCode).toBe(0);
    const md = readFileSync(path.join(dir, 'report', 'report.md'), 'utf8');
    const cnn = md.split('### cnn-flax')[1]!.split('\n### ')[0]!;
    expect(cnn).toContain('- Timings: compile_s 3 s, execute_s 5 s');
    expect(cnn).toContain('- Metrics: items_per_s 123.5');
    expect(cnn).toContain('stablehlo.some_long_operation_name_29 30');
    const census = cnn.split('\n').filter((l) => l.startsWith('- Census') || l.startsWith('  '));
    expect(census.length).toBeGreaterThan(5);
    for (const line of census) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
  });
});
