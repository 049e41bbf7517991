import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileJsonSchema, NO_FAST_PARSE } from './json-schema-parse.js';
import { RunRecord } from './run-record.js';
import { outcome, record } from '../../bench/synthetic-runs.js';
import { ROOT } from '../../test/helpers.js';

const parse = compileJsonSchema(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'run-record.schema.json'), 'utf8')));

/** A record using every part of the schema: results with op coverage and census phases, retries, a baseline, a mock. */
function richRecord(): Record<string, unknown> {
  const fail = outcome({ probe: 'op-coverage', status: 'fail', category: 'unsupported-op', ruleId: 'r1', details: { op: 'stablehlo.sort' } });
  Object.assign(fail, {
    started: false,
    spawnError: null,
    timedOut: false,
    timeoutSeconds: 600,
    stages: { reached: ['import', 'lower'], last: 'lower', failedAt: 'compile', compiler: { marker: 'TTMLIR_COMPILATION_START', stage: 'tt-mlir' } },
    predicted: [{ op: 'stablehlo.sort', ruleId: 'r1', count: 2, phase: 'workload', placement: 'target', modules: ['jit_f'], basis: 'op-coverage', evidence: 'x', confirmed: true }, { op: 'stablehlo.pad', ruleId: 'r2', count: 1 }],
    opVerdicts: [{ family: 'sort', op: 'stablehlo.sort', status: 'fail', seconds: 1.5, log: 'sort.log', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'r1', reason: 'no', failingOp: 'stablehlo.sort', decisive: 'line' }],
    attempts: [{ attempt: 1, status: 'crash', category: null, ruleId: null, signature: 'abc', reason: 'x', durationS: 2 }],
    previousVerdicts: [{ status: 'fail', category: null, layer: null, ruleId: null, reason: 'old', details: {}, evidence: [], signature: null, catalogVersion: '1' }],
  });
  const result = fail.result as Record<string, unknown>;
  Object.assign(result, {
    target: 'tt',
    artifacts: [{ path: 'out.png', kind: 'image' }, { path: 'b.txt', description: 'notes' }],
    censusPhases: [{ phase: 'workload', placement: 'target', modules: [{ name: 'jit_f', ops: { 'stablehlo.sort': 2 } }] }],
    stages: ['import', 'lower'],
    details: { anything: { nested: [1, 'two', null] } },
    opResults: [{ family: 'pad', op: 'stablehlo.pad', status: 'pass', seconds: 0.2, log: 'pad.log', placement: { platform: 'tt', device: 'TTDevice(id=0)' } }],
  });
  const r = record({ runId: 'rich', startedAt: '2026-02-01T00:00:00.000Z', outcomes: [fail] }) as Record<string, unknown>;
  (r.device as Record<string, unknown>).mock = { tier: 'p150', descriptor: '/x.yaml', sha256: 'ab', source: 'shipped' };
  (r.options as Record<string, unknown>).stacks = {
    'tt-xla': { python: 'py', ttMetalHome: null, env: { A: '1' } },
    'tt-metal': { python: 'py', ttMetalHome: '/tt', env: {} },
  };
  r.baseline = { source: 'b.json', expectedFailures: [], unexpectedFailures: ['x'], unexpectedPasses: [], flaky: [] };
  r.lockedDevices = [{ key: 'k', label: 'l', node: null, pci: null, serial: null }];
  return r;
}

/** Every field of `base` in turn deleted, replaced by each of a few wrong or edge values, given an unknown key, reordered. */
function* mutations(base: unknown): Generator<unknown> {
  const replacements = [null, '', 'x', 0, -1, 1.5, 2 ** 60, true, [], {}, ['x'], { extra: 1 }, 'pass', 'tt-xla', 'unknown'];
  const count = paths(base).length;
  for (let i = 0; i < count; i++) {
    const edits: Array<(parent: Record<string | number, unknown>, key: string | number) => void> = [
      ...replacements.map((r) => (parent: Record<string | number, unknown>, key: string | number) => void (parent[key] = structuredClone(r))),
      (parent, key) => void (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]),
      (parent, key) => {
        const target = parent[key];
        if (target && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>).extra = 1;
      },
      (parent) => {
        // The same fields in another order: zod's output follows the schema's order, and so must this.
        if (Array.isArray(parent)) return;
        const entries = Object.entries(parent).reverse();
        for (const [k] of entries) delete parent[k];
        for (const [k, v] of entries) parent[k] = v;
      },
    ];
    for (const edit of edits) {
      const copy = structuredClone(base);
      const [parent, key] = paths(copy)[i]!;
      edit(parent, key);
      yield copy;
    }
  }
}

function paths(root: unknown): Array<[Record<string | number, unknown>, string | number]> {
  const found: Array<[Record<string | number, unknown>, string | number]> = [];
  (function walk(node: unknown) {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      found.push([node as Record<string | number, unknown>, Array.isArray(node) ? Number(k) : k]);
      walk(v);
    }
  })(root);
  return found;
}

describe('parsing a run record by its exported JSON Schema', () => {
  it('gives what zod gives, key for key and in the same order, for records the runner and older versions write', () => {
    const records = [richRecord(), RunRecord.parse(richRecord()), record({ runId: 'plain', startedAt: '2026-01-01T00:00:00.000Z', outcomes: [outcome({ probe: 'a', status: 'skip' })] })];
    for (const r of records) {
      const fast = parse(r);
      expect(fast).not.toBe(NO_FAST_PARSE);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(RunRecord.parse(r)));
    }
  });

  it('refuses exactly what zod refuses, and gives zod\'s output for the rest, for every field of a record mutated in turn', () => {
    let accepted = 0;
    let refused = 0;
    for (const m of mutations(richRecord())) {
      const zod = RunRecord.safeParse(m);
      const fast = parse(m);
      if (!zod.success) {
        expect(fast, JSON.stringify(zod.error.issues[0])).toBe(NO_FAST_PARSE);
        refused++;
      } else {
        // Not only never more lenient: every record zod takes is read without it.
        expect(fast).not.toBe(NO_FAST_PARSE);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        accepted++;
      }
    }
    // Both branches must have been exercised for the property to mean anything.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('reads a run-record schema with nothing JSON Schema cannot carry (a transform, a custom type)', () => {
    for (const io of ['input', 'output'] as const) expect(() => z.toJSONSchema(RunRecord, { io, unrepresentable: 'throw' })).not.toThrow();
    expect(() => z.toJSONSchema(z.object({ a: z.string().transform((x) => x) }), { io: 'output', unrepresentable: 'throw' })).toThrow();
  });

  it('hands schemas with keywords it does not know to zod', () => {
    expect(compileJsonSchema({ type: 'string', pattern: '^a' })('a')).toBe(NO_FAST_PARSE);
    expect(compileJsonSchema({ type: 'object', properties: { a: { type: 'string', format: 'date' } } })({ a: 'x' })).toBe(NO_FAST_PARSE);
    expect(compileJsonSchema({ type: 'object', propertyNames: { pattern: '^a' }, additionalProperties: {} })({})).toBe(NO_FAST_PARSE);
  });
});
