import type { Board, Tier } from '../schemas/device.js';

export interface TierInference {
  tier: Tier;
  reason: string;
}

const count = (boards: Board[], type: string) => boards.filter((b) => b.boardType === type).length;

/**
 * Tier from the boards tt-smi lists. Each entry is one chip: an N300 shows as `n300 L` + `n300 R`.
 * Anything that does not match a known system exactly is `unknown`, with the layout spelled out.
 */
export function inferTier(boards: Board[]): TierInference {
  const chips = boards.length;
  if (chips === 0) return { tier: 'none', reason: 'no Tenstorrent chips found' };
  const layout = summarise(boards);
  const only = (type: string) => count(boards, type) === chips;

  if (only('n150') && chips === 1) return { tier: 'n150', reason: `1 Wormhole chip (${layout})` };
  if (only('n300') && chips === 2) return { tier: 'n300', reason: `one N300 board, 2 chips (${layout})` };
  if (only('n300') && chips === 8) return { tier: 't3k', reason: `4 N300 boards, 8 chips (${layout})` };
  const galaxyChips = count(boards, 'tt-galaxy-wh') + count(boards, 'wh_4u');
  if (galaxyChips === chips && chips === 32) return { tier: 'galaxy', reason: `32 Wormhole chips (${layout})` };
  // Blackhole boards carry a revision letter (tt-smi's get_board_type): p100a, p150a/b/c, p300a/b/c.
  const all = (pattern: RegExp) => boards.every((b) => pattern.test(b.boardType));
  if (all(/^p100a?$/) && chips === 1) return { tier: 'p100', reason: `1 Blackhole P100 (${layout})` };
  if (all(/^p150[abc]?$/) && chips === 1) return { tier: 'p150', reason: `1 Blackhole P150 (${layout})` };
  if (all(/^p300[abc]?$/) && chips === 2) return { tier: 'p300', reason: `one P300 board, 2 Blackhole chips (${layout})` };
  if (only('tt-galaxy-bh') && chips === 32) return { tier: 'galaxy-bh', reason: `32 Blackhole chips (${layout})` };
  return { tier: 'unknown', reason: `layout matches no known system: ${layout}` };
}

function summarise(boards: Board[]): string {
  const counts = new Map<string, number>();
  for (const b of boards) counts.set(b.boardTypeRaw, (counts.get(b.boardTypeRaw) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${n}x ${type}`).join(', ');
}
