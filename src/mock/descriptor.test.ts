import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_MOCK_TIERS } from '../schemas/device.js';
import { loadDescriptor, MOCK_SYSTEMS_DIR, resolveMock } from './descriptor.js';
import { tempDir } from '../../test/helpers.js';

const CHIPS = { n150: 1, n300: 2, t3k: 8, galaxy: 32, p100: 1, p150: 1, p300: 2 } as const;

describe('shipped mock systems', () => {
  it.each(SHIPPED_MOCK_TIERS)('%s.yaml is read as that tier, with its chip count', async (tier) => {
    const mock = await resolveMock(tier);
    expect(mock.system).toMatchObject({ tier, source: 'shipped', descriptor: path.join(MOCK_SYSTEMS_DIR, `${tier}.yaml`) });
    expect(mock.chips).toHaveLength(CHIPS[tier]);
    expect(mock.chips.some((c) => c.mmio)).toBe(true);
  });

  it('ethernet links name chips of the descriptor, and no chip channel is used twice', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    for (const tier of SHIPPED_MOCK_TIERS) {
      const doc = parse(readFileSync(path.join(MOCK_SYSTEMS_DIR, `${tier}.yaml`), 'utf8'));
      expect(readFileSync(path.join(MOCK_SYSTEMS_DIR, `${tier}.yaml`), 'utf8')).toMatch(/^# .*\n# .*tests\/cluster_descriptor_examples\//m);
      const chips = new Set(Object.keys(doc.arch).map(Number));
      const used = new Set<string>();
      for (const [a, b] of doc.ethernet_connections) {
        for (const end of [a, b]) {
          expect(chips.has(end.chip), `${tier}: chip ${end.chip}`).toBe(true);
          const key = `${end.chip}:${end.chan}`;
          expect(used.has(key), `${tier}: ${key} used twice`).toBe(false);
          used.add(key);
        }
      }
    }
  });

  it('a layout matching no known system is unknown, with the layout spelled out', async () => {
    const file = path.join(tempDir(), 'two-p150.yaml');
    writeFileSync(file, 'arch:\n  0: blackhole\n  1: blackhole\nchips_with_mmio:\n  - 0: 0\n  - 1: 1\nboards:\n  -\n    - board_type: p150\n    - chips:\n        - 0\n  -\n    - board_type: p150\n    - chips:\n        - 1\n');
    const mock = await loadDescriptor(file, 'user');
    expect(mock.system.tier).toBe('unknown');
    expect(mock.reason).toBe('cluster descriptor matches no known system: 2 blackhole chip(s) on board type(s) p150');
  });
});
