import { describe, expect, it } from 'vitest';
import { rankImpact, type ImpactOutcome } from './impact.js';

const o = (probe: string, workload: string, status: ImpactOutcome['status'], why: Partial<ImpactOutcome> = {}): ImpactOutcome => ({
  probe, workload, status, stack: 'tt-xla', category: status === 'pass' ? null : 'unknown', ruleId: null, signature: null, reason: `${probe} ${status}`, ...why,
});
const legalize = { category: 'unsupported-op' as const, ruleId: 'stablehlo-reduce-window-legalize' };

describe('rankImpact', () => {
  it('ranks failure reasons by the workload x system x stack combinations they block, with the list', () => {
    const rows = rankImpact(
      [
        { tier: 'n150', outcome: o('cnn-flax', 'cnn', 'fail', legalize) },
        { tier: 'n150', outcome: o('sd-flax', 'image-diffusion', 'fail', legalize) },
        { tier: 'n300', outcome: o('cnn-flax', 'cnn', 'fail', legalize) },
        // A second probe of a workload already blocked adds a probe, not a combination.
        { tier: 'n300', outcome: o('cnn-flax-2', 'cnn', 'fail', legalize) },
        { tier: 'n150', outcome: o('bert-flax', 'text-encoder', 'crash', { signature: 'sig-1' }) },
        { tier: 'n150', outcome: o('bert-flax-2', 'text-encoder', 'crash', { signature: 'sig-1' }) },
        { tier: 'n150', outcome: o('dalle-mini', 'text-to-image-vq', 'timeout', { category: 'timeout' }) },
        { tier: 'n150', outcome: o('jax-dot', 'matmul', 'pass') },
        { tier: 'n150', outcome: o('sd35', 'image-diffusion', 'skip', { category: 'missing-dependency' }) },
      ],
      new Map([['stablehlo-reduce-window-legalize', 'StableHLO reduce_window cannot be legalized']]),
    );
    expect(rows.map((r) => [r.key, r.blocks, r.probes])).toEqual([
      ['rule:stablehlo-reduce-window-legalize', 3, 4],
      ['signature:sig-1', 1, 2],
      ['category:timeout', 1, 1],
    ]);
    expect(rows[0]).toMatchObject({ kind: 'catalog', title: 'StableHLO reduce_window cannot be legalized' });
    expect(rows[0]!.blocked).toEqual([
      { tier: 'n150', stack: 'tt-xla', workload: 'cnn', probes: ['cnn-flax'] },
      { tier: 'n150', stack: 'tt-xla', workload: 'image-diffusion', probes: ['sd-flax'] },
      { tier: 'n300', stack: 'tt-xla', workload: 'cnn', probes: ['cnn-flax', 'cnn-flax-2'] },
    ]);
    expect(rows[1]).toMatchObject({ kind: 'signature', title: 'bert-flax crash' });
  });

  it('is empty when nothing fails', () => {
    expect(rankImpact([{ tier: 'n150', outcome: o('jax-dot', 'matmul', 'pass') }])).toEqual([]);
  });
});
