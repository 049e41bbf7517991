import type { HardwareTier } from '../schemas/device.js';
import type { MockChip } from './descriptor.js';

/**
 * The system a cluster descriptor describes, from what tt-umd writes of it: the chips' arch, how
 * many there are and their boards' types. Anything else is `unknown`, with the layout spelled out.
 */
export function inferMockTier(chips: MockChip[]): { tier: HardwareTier | 'unknown'; reason: string } {
  const n = chips.length;
  const arch = new Set(chips.map((c) => c.arch));
  const boards = new Set(chips.map((c) => c.boardType ?? 'none'));
  const only = (type: string | RegExp) => [...boards].every((b) => (typeof type === 'string' ? b === type : type.test(b)));
  const layout = `${n} ${[...arch].join('+')} chip(s) on board type(s) ${[...boards].join(', ')}`;
  const is = (tier: HardwareTier) => ({ tier, reason: `cluster descriptor: ${layout}` });
  if (arch.size === 1 && arch.has('wormhole_b0')) {
    if (n === 1 && only('n150')) return is('n150');
    if (n === 2 && only('n300')) return is('n300');
    if (n === 8 && only('n300')) return is('t3k');
    if (n === 32 && only(/^(galaxy|ubb)$/)) return is('galaxy');
  }
  if (arch.size === 1 && arch.has('blackhole')) {
    if (n === 1 && only('p100')) return is('p100');
    if (n === 1 && only(/^p150[abc]?$/)) return is('p150');
    if (n === 2 && only(/^p300[abc]?$/)) return is('p300');
  }
  return { tier: 'unknown', reason: `cluster descriptor matches no known system: ${layout}` };
}
