import { describe, expect, it } from 'vitest';
import { Outcome, type OpVerdict } from '../schemas/outcome.js';
import { outcome } from '../../bench/synthetic-runs.js';
import { loadCatalog } from './catalog.js';
import { latestOpEvidence, opEvidenceOf } from './op-evidence.js';
import { predictionsFor } from './predictions.js';

const family = (f: Partial<OpVerdict> & Pick<OpVerdict, 'family' | 'op' | 'status'>): OpVerdict => ({
  seconds: 1, log: `ops/${f.family}.log`, stage: null, message: null, opsSeen: [], placement: null,
  category: null, layer: null, ruleId: null, reason: f.status, failingOp: null, decisive: null, ...f,
});

function coverage(target: string, verdicts: OpVerdict[]): Outcome {
  const o = Outcome.parse({ ...outcome({ probe: 'op-coverage', status: 'fail' }), target, opVerdicts: verdicts });
  o.result!.versions = { 'jax-tt-plugin': '0.1.3' };
  return o;
}

const verdicts = [
  family({ family: 'reduce_window', op: 'stablehlo.reduce_window', status: 'compiled', opsSeen: ['stablehlo.reduce_window', 'stablehlo.maximum'] }),
  family({ family: 'cholesky', op: 'stablehlo.cholesky', status: 'fail', category: 'unsupported-op', failingOp: 'stablehlo.cholesky', ruleId: 'tt-mlir-legalize-failed' }),
  // A crash names no op: its own op is convicted only while no other family compiled it.
  family({ family: 'sort', op: 'stablehlo.sort', status: 'crash', category: 'compiler-crash' }),
  family({ family: 'cumsum', op: 'stablehlo.reduce_window', status: 'crash', category: 'compiler-crash' }),
];

describe('op evidence', () => {
  it('is what a TT run of op-coverage proved: compiled ops work, failures convict the op they name', () => {
    const evidence = opEvidenceOf([coverage('tt', verdicts)], 'P150 (mock)')!;
    expect(evidence.compiler).toBe('jax-tt-plugin 0.1.3');
    expect([...evidence.failing.keys()].sort()).toEqual(['stablehlo.cholesky', 'stablehlo.sort']);
    expect(evidence.working.has('stablehlo.reduce_window')).toBe(true);
    expect(evidence.working.has('stablehlo.maximum')).toBe(true);
  });

  it('says nothing from a CPU run', () => {
    expect(opEvidenceOf([coverage('cpu', verdicts)], 'no TT device')).toBeNull();
  });

  it('decides predictions over the catalog for the ops it covers', async () => {
    const catalog = await loadCatalog();
    const evidence = opEvidenceOf([coverage('tt', verdicts)], 'P150 (mock)');
    const workload = Outcome.parse(outcome({ probe: 'cnn-flax', status: 'fail', census: { 'stablehlo.reduce_window': 2, 'stablehlo.cholesky': 1, 'stablehlo.scatter': 1 } }));
    const byCatalog = predictionsFor(workload.result!, catalog, 'tt', workload);
    expect(byCatalog.map((p) => [p.op, p.basis])).toContainEqual(['stablehlo.reduce_window', 'catalog']);

    const byCoverage = predictionsFor(workload.result!, catalog, 'tt', workload, evidence);
    const ops = new Map(byCoverage.map((p) => [p.op, p]));
    // The catalog lists reduce_window, but this compiler compiled it.
    expect(ops.has('stablehlo.reduce_window')).toBe(false);
    expect(ops.get('stablehlo.cholesky')).toMatchObject({ basis: 'op-coverage', ruleId: 'tt-mlir-legalize-failed' });
    expect(ops.get('stablehlo.cholesky')!.evidence).toBe('op-coverage with jax-tt-plugin 0.1.3 on P150 (mock): cholesky fail [unsupported-op]');
    // Ops op-coverage did not try are still the catalog's to predict.
    expect(ops.get('stablehlo.scatter')?.basis ?? 'catalog').toBe('catalog');
  });

  it('comes from the latest earlier run of the same plugin version only', () => {
    const old = { fingerprint: { plugin: '0.1.0' }, outcomes: [coverage('tt', verdicts.slice(0, 1))] };
    const same = { fingerprint: { plugin: '0.1.3' }, outcomes: [coverage('tt', verdicts)] };
    const none = { fingerprint: { plugin: '0.1.3' }, outcomes: [] };
    expect(latestOpEvidence([same, old, none], '0.1.3', 'P150')?.failing.has('stablehlo.cholesky')).toBe(true);
    expect(latestOpEvidence([same, old], '0.1.0', 'P150')?.failing.size).toBe(0);
    expect(latestOpEvidence([old], '0.1.3', 'P150')).toBeNull();
    expect(latestOpEvidence([same], null, 'P150')).toBeNull();
  });
});
