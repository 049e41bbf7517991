import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';
import { outcome, record, VERDICTS, writeRun } from './run-records.js';

const STATES = ['pass', 'cpu-fallback', 'fail', 'crash', 'timeout', 'skip', 'missing'] as const;
type State = (typeof STATES)[number];

/**
 * The whole table, from (row) -> to (column). `-` is no change. Failing statuses are cpu-fallback,
 * fail, crash and timeout; missing means the run planned the probe and has no outcome for it.
 */
const TABLE: Record<State, string[]> = {
  //               pass            cpu-fallback     fail             crash            timeout          skip             missing
  pass:           ['-',            'regression',    'regression',    'regression',    'regression',    'lost-coverage', 'lost-coverage'],
  'cpu-fallback': ['fix',          '-',             'status-change', 'status-change', 'status-change', 'lost-coverage', 'lost-coverage'],
  fail:           ['fix',          'status-change', '-',             'status-change', 'status-change', 'lost-coverage', 'lost-coverage'],
  crash:          ['fix',          'status-change', 'status-change', '-',             'status-change', 'lost-coverage', 'lost-coverage'],
  timeout:        ['fix',          'status-change', 'status-change', 'status-change', '-',             'lost-coverage', 'lost-coverage'],
  skip:           ['new-coverage', 'new-failure',   'new-failure',   'new-failure',   'new-failure',   '-',             'still-not-run'],
  missing:        ['new-coverage', 'new-failure',   'new-failure',   'new-failure',   'new-failure',   'still-not-run', '-'],
};

/** Two runs of one tier, one probe per pair: `<from>--<to>` is `from` in the base run and `to` in the new one. */
function pairs(list: Array<[State, State]>, extra: { base?: object[]; next?: object[]; nextPlannedOnly?: string[] } = {}) {
  const dir = tempDir();
  const ids = list.map(([from, to]) => `${from}--${to}`);
  const side = (pick: 0 | 1) =>
    list.flatMap((pair, i) => (pair[pick] === 'missing' ? [] : [outcome({ probe: ids[i]!, ...VERDICTS[pair[pick] as Exclude<State, 'missing'>] })]));
  const base = record({ runId: 'base', startedAt: '2026-06-01T01:00:00.000Z', outcomes: [...side(0), ...(extra.base ?? [])] });
  const next = record({ runId: 'new', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [...side(1), ...(extra.next ?? [])] });
  // Both runs planned every probe of the table: a missing outcome is a probe the run did not get to.
  base.planned = [...ids, ...base.planned.filter((p: string) => !ids.includes(p))];
  next.planned = [...ids, ...next.planned.filter((p: string) => !ids.includes(p)), ...(extra.nextPlannedOnly ?? [])];
  if (list.some(([from]) => from === 'missing')) base.state = 'interrupted';
  if (list.some(([, to]) => to === 'missing') || extra.nextPlannedOnly?.length) next.state = 'interrupted';
  return { base: writeRun(dir, base), next: writeRun(dir, next) };
}

const everyPair = STATES.flatMap((from) => STATES.map((to) => [from, to] as [State, State]));

describe('compare: every change of state is a transition', () => {
  it('names each of the 49 from/to pairs as the table says, in JSON with both states', async () => {
    const { base, next } = pairs(everyPair);
    const r = await cli(['compare', base, next, '--json']);
    const c = JSON.parse(r.stdout);
    const kinds: Record<string, string> = {};
    for (const x of c.changes) {
      expect(kinds[x.probe], `${x.probe} reported twice`).toBeUndefined();
      kinds[x.probe] = x.kind;
    }
    const got = Object.fromEntries(STATES.map((from) => [from, STATES.map((to) => kinds[`${from}--${to}`] ?? '-')]));
    expect(got).toEqual(TABLE);
    const crashToFail = c.changes.find((x: { probe: string }) => x.probe === 'crash--fail');
    expect(crashToFail).toMatchObject({
      from: { state: 'crash', category: 'compiler-crash', ruleId: 'ttir-low-operand-constant' },
      to: { state: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-reduce-window-legalize' },
      transition: 'crash (compiler-crash: ttir-low-operand-constant) -> fail (unsupported-op: stablehlo.reduce_window)',
    });
    expect(c.changes.find((x: { probe: string }) => x.probe === 'pass--missing').transition).toBe('pass -> missing (planned, not run)');
    expect(r.exitCode).toBe(1);
  });

  it('the JSON is what schemas/compare.schema.json describes', async () => {
    const { base, next } = pairs(everyPair);
    const c = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'compare.schema.json'), 'utf8')));
    expect(validate(c), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...c, changes: [{ ...c.changes[0], kind: 'worse' }] })).toBe(false);
  });

  it('shows every kind in text and Markdown, worst first', async () => {
    const { base, next } = pairs(everyPair);
    const text = (await cli(['compare', base, next])).stdout;
    const titles = ['Regressions (4):', 'New failures (8):', 'Lost coverage (10):', 'Status changes (12):', 'Fixes (4):', 'New coverage (2):', 'Still not run (2):'];
    const at = titles.map((t) => text.indexOf(t));
    expect(at.every((i) => i >= 0), text).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('  skip--cpu-fallback [n150]: skip (missing-dependency: dalle_mini) -> cpu-fallback');
    expect(text).toContain('  timeout--skip [n150]: timeout (timeout) -> skip (missing-dependency: dalle_mini)  (missing: dalle_mini)');
    const md = (await cli(['compare', base, next, '--md'])).stdout;
    expect(md).toContain('### Lost coverage (10)');
    expect(md).toContain('| pass--cpu-fallback | n150 | pass -&gt; cpu-fallback |');
  });

  it('the same failing status with another category, rule or signature is a changed reason', async () => {
    const dir = tempDir();
    const unknown = (signature: string) => ({ status: 'fail', category: 'unknown', signature, evidence: ['ValueError: widget'] });
    const base = writeRun(dir, record({ runId: 'a', startedAt: '2026-06-01T01:00:00.000Z', outcomes: [
      outcome({ probe: 'rule', ...VERDICTS.fail }),
      outcome({ probe: 'category', ...VERDICTS.crash }),
      outcome({ probe: 'signature', ...unknown('sig-000000000001') }),
      outcome({ probe: 'same', ...VERDICTS.fail }),
    ] }));
    const next = writeRun(dir, record({ runId: 'b', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [
      outcome({ probe: 'rule', ...VERDICTS.fail, ruleId: 'stablehlo-scatter-legalize', details: { op: 'stablehlo.scatter' } }),
      outcome({ probe: 'category', ...VERDICTS.crash, category: 'runtime-fatal' }),
      outcome({ probe: 'signature', ...unknown('sig-000000000002') }),
      outcome({ probe: 'same', ...VERDICTS.fail }),
    ] }));
    const r = await cli(['compare', base, next, '--json', '--fail-on', 'changed-reason']);
    expect(r.exitCode).toBe(1);
    const c = JSON.parse(r.stdout);
    const changed = c.changes.filter((x: { kind: string }) => x.kind === 'changed-reason').map((x: { probe: string }) => x.probe);
    expect(changed).toEqual(['category', 'rule', 'signature']);
    expect(c.changes.map((x: { probe: string }) => x.probe)).not.toContain('same');
  });

  it('the same failing status at another stage is a stage change, named with its direction', async () => {
    const dir = tempDir();
    const at = (failedAt: string, reached: string[]) => ({ stages: { reached, last: failedAt, failedAt, compiler: null } });
    const early = ['import', 'setup', 'lower', 'compile'];
    const late = [...early, 'execute'];
    const base = writeRun(dir, record({ runId: 'a', startedAt: '2026-06-01T01:00:00.000Z', outcomes: [
      outcome({ probe: 'later', ...VERDICTS.crash, ...at('compile', early) }),
      outcome({ probe: 'earlier', ...VERDICTS.fail, ...at('execute', late) }),
      outcome({ probe: 'same-stage', ...VERDICTS.fail, ...at('compile', early) }),
    ] }));
    const next = writeRun(dir, record({ runId: 'b', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [
      outcome({ probe: 'later', ...VERDICTS.crash, ...at('execute', late) }),
      outcome({ probe: 'earlier', ...VERDICTS.fail, ...at('compile', early) }),
      outcome({ probe: 'same-stage', ...VERDICTS.fail, ...at('compile', early) }),
    ] }));
    const text = await cli(['compare', base, next]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('Failing at another stage (2)');
    expect(text.stdout).toContain('fails later: at compile -> at execute');
    // Every transition says where a failure stopped, so a compiler engineer reads it first.
    expect(text.stdout).toContain('later [n150]: crash at compile (compiler-crash: ttir-low-operand-constant) -> crash at execute (compiler-crash: ttir-low-operand-constant)');
    expect(text.stdout).toContain('fails earlier: at execute -> at compile');
    expect(text.stdout).not.toContain('same-stage');
    expect((await cli(['compare', base, next, '--fail-on', 'stage-change'])).exitCode).toBe(1);
    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    const later = json.changes.find((c: { probe: string }) => c.probe === 'later');
    expect(later).toMatchObject({ kind: 'stage-change', from: { stage: 'compile' }, to: { stage: 'execute' } });
  });

  it('ranks the failure reasons behind the changes for the worse by how many workloads x systems x stacks they block', async () => {
    const dir = tempDir();
    const base = writeRun(dir, record({ runId: 'a', startedAt: '2026-06-01T01:00:00.000Z', outcomes: [
      outcome({ probe: 'cnn', workload: 'cnn', status: 'pass' }),
      outcome({ probe: 'sd', workload: 'image-diffusion', status: 'pass' }),
      outcome({ probe: 'bert', workload: 'text-encoder', status: 'pass' }),
      outcome({ probe: 'old', workload: 'matmul', ...VERDICTS.crash }),
    ] }));
    const next = writeRun(dir, record({ runId: 'b', startedAt: '2026-06-02T01:00:00.000Z', outcomes: [
      outcome({ probe: 'cnn', workload: 'cnn', ...VERDICTS.fail }),
      outcome({ probe: 'sd', workload: 'image-diffusion', ...VERDICTS.fail }),
      outcome({ probe: 'bert', workload: 'text-encoder', status: 'fail', category: 'unknown', signature: 'sig-00000000abcd', evidence: ['ValueError: widget'] }),
      outcome({ probe: 'old', workload: 'matmul', ...VERDICTS.crash }),
    ] }));
    const json = JSON.parse((await cli(['compare', base, next, '--json'])).stdout);
    expect(json.impact.map((r: { key: string; blocks: number }) => [r.key, r.blocks])).toEqual([
      ['rule:stablehlo-reduce-window-legalize', 2],
      ['signature:sig-00000000abcd', 1],
    ]);
    const md = (await cli(['compare', base, next, '--md'])).stdout;
    const section = md.slice(md.indexOf('### What the changes block'));
    expect(section).toContain('| stablehlo-reduce-window-legalize | unsupported-op | 2 | cnn on n150 tt-xla; image-diffusion on n150 tt-xla |');
    expect(section.indexOf('stablehlo-reduce-window-legalize')).toBeLessThan(section.indexOf('sig-00000000abcd'));
    // A failure that did not change is not news: it is not ranked among what changed.
    expect(section).not.toContain('ttir-low-operand-constant');
  });

  it('a probe the new run did not plan at all is a removed probe, reported but not failing', async () => {
    const { base, next } = pairs([['pass', 'pass']], { base: [outcome({ probe: 'deleted', status: 'pass' })] });
    const r = await cli(['compare', base, next]);
    expect(r.stdout).toContain('Removed probes (1):\n  deleted [n150]: pass -> missing (not in the run)');
    expect(r.exitCode).toBe(0);
  });
});

describe('compare --fail-on', () => {
  it('fails by default on lost coverage and on new failures, as on a regression', async () => {
    for (const pair of [['pass', 'skip'], ['fail', 'missing'], ['skip', 'crash'], ['missing', 'timeout'], ['pass', 'cpu-fallback']] as Array<[State, State]>) {
      const { base, next } = pairs([pair, ['pass', 'pass']]);
      const r = await cli(['compare', base, next]);
      expect(r.exitCode, pair.join(' -> ')).toBe(1);
      expect((await cli(['compare', base, next, '--fail-on', 'fix'])).exitCode, pair.join(' -> ')).toBe(0);
    }
  });

  it('takes each kind: a status change or a fix fails only when named', async () => {
    const { base, next } = pairs([['fail', 'crash'], ['timeout', 'pass'], ['pass', 'pass']]);
    expect((await cli(['compare', base, next])).exitCode).toBe(0);
    expect((await cli(['compare', base, next, '--fail-on', 'status-change'])).exitCode).toBe(1);
    expect((await cli(['compare', base, next, '--fail-on', 'regression,fix'])).exitCode).toBe(1);
    expect((await cli(['compare', base, next, '--fail-on', 'regression, lost-coverage'])).exitCode).toBe(0);
    const help = (await cli(['compare', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const kind of Object.values(TABLE).flat().filter((k) => k !== '-')) expect(help).toContain(kind);
    const bad = await cli(['compare', base, next, '--fail-on', 'regression,worse']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--fail-on takes a comma-separated list of regression, new-failure, lost-coverage, status-change, stage-change, changed-reason");
    expect(bad.stderr).toContain("got 'regression,worse'");
  });
});
