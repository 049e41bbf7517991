import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';
import { outcome, record, VERDICTS, writeRun } from './run-records.js';

const STATES = ['pass', 'compiled', 'cpu-fallback', 'fail', 'crash', 'timeout', 'skip', 'missing'] as const;
type State = (typeof STATES)[number];
const VERDICT = { ...VERDICTS, compiled: { status: 'compiled', category: null, reason: 'compiled for TTDevice(id=0, arch=Blackhole) (mock system: nothing computed)' } };

/**
 * The transition table with `compiled`, the success of a mock system, as its own state (from row to
 * column; `-` is no change). compiled <-> pass would pair a mock with hardware, which compare never
 * does (different tiers): forged into one tier, it reads as a status change, never a fix or regression.
 */
const TABLE: Record<State, string[]> = {
  //               pass             compiled         cpu-fallback     fail             crash            timeout          skip             missing
  pass:           ['-',             'status-change', 'regression',    'regression',    'regression',    'regression',    'lost-coverage', 'lost-coverage'],
  compiled:       ['status-change', '-',             'regression',    'regression',    'regression',    'regression',    'lost-coverage', 'lost-coverage'],
  'cpu-fallback': ['fix',           'fix',           '-',             'status-change', 'status-change', 'status-change', 'lost-coverage', 'lost-coverage'],
  fail:           ['fix',           'fix',           'status-change', '-',             'status-change', 'status-change', 'lost-coverage', 'lost-coverage'],
  crash:          ['fix',           'fix',           'status-change', 'status-change', '-',             'status-change', 'lost-coverage', 'lost-coverage'],
  timeout:        ['fix',           'fix',           'status-change', 'status-change', 'status-change', '-',             'lost-coverage', 'lost-coverage'],
  skip:           ['new-coverage',  'new-coverage',  'new-failure',   'new-failure',   'new-failure',   'new-failure',   '-',             'still-not-run'],
  missing:        ['new-coverage',  'new-coverage',  'new-failure',   'new-failure',   'new-failure',   'new-failure',   'still-not-run', '-'],
};

describe('compare: compiled is a state of its own', () => {
  it('names each of the 64 from/to pairs as the table says', async () => {
    const dir = tempDir();
    const list = STATES.flatMap((from) => STATES.map((to) => [from, to] as [State, State]));
    const ids = list.map(([from, to]) => `${from}--${to}`);
    const side = (pick: 0 | 1) =>
      list.flatMap((pair, i) => (pair[pick] === 'missing' ? [] : [outcome({ probe: ids[i]!, ...VERDICT[pair[pick] as Exclude<State, 'missing'>] })]));
    const base = record({ runId: 'base', startedAt: '2026-06-01T01:00:00.000Z', outcomes: side(0), state: 'interrupted' });
    const next = record({ runId: 'new', startedAt: '2026-06-02T01:00:00.000Z', outcomes: side(1), state: 'interrupted' });
    base.planned = ids;
    next.planned = ids;
    const r = await cli(['compare', writeRun(dir, base), writeRun(dir, next), '--json']);
    const c = JSON.parse(r.stdout);
    const kinds: Record<string, string> = Object.fromEntries(c.changes.map((x: { probe: string; kind: string }) => [x.probe, x.kind]));
    const got = Object.fromEntries(STATES.map((from) => [from, STATES.map((to) => kinds[`${from}--${to}`] ?? '-')]));
    expect(got).toEqual(TABLE);
    expect(r.exitCode).toBe(1);
  });

  it('compiled -> fail at compile is a regression that says where it stopped; fail -> compiled is a fix', async () => {
    const dir = tempDir();
    const atCompile = { stages: { reached: ['import', 'setup', 'lower', 'compile'], last: 'compile', failedAt: 'compile', compiler: null } };
    const base = writeRun(dir, record({ runId: 'a', startedAt: '2026-06-01T01:00:00.000Z', outcomes: [
      outcome({ probe: 'broke', ...VERDICT.compiled }),
      outcome({ probe: 'fixed', ...VERDICT.fail, ...atCompile }),
    ] }));
    const next = writeRun(dir, record({ runId: 'b', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [
      outcome({ probe: 'broke', ...VERDICT.fail, ...atCompile }),
      outcome({ probe: 'fixed', ...VERDICT.compiled }),
    ] }));
    const r = await cli(['compare', base, next]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Regressions (1):');
    expect(r.stdout).toContain('broke [n150]: compiled -> fail at compile (unsupported-op: stablehlo.reduce_window)');
    expect(r.stdout).toContain('Fixes (1):');
    expect(r.stdout).toContain('fixed [n150]: fail at compile (unsupported-op: stablehlo.reduce_window) -> compiled');
  });
});
