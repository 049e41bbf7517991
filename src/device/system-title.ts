// The one wording for "which system" everywhere a person reads it (run output, reports, history,
// detect, the site). Kept free of zod so the CLI's light commands can use it.

/** A machine without Tenstorrent chips. */
export const NO_TT_DEVICE = 'no TT device';

const TIER_TITLES: Record<string, string> = { galaxy: 'Galaxy', unknown: 'unknown system', none: NO_TT_DEVICE };

/** `N150`, `Galaxy`, `no TT device`: a tier, as the system's name. */
export const tierTitle = (tier: string): string => {
  // A mock is its own system, named so everywhere: `P150 (mock)`.
  const mock = /^(.*)-mock$/.exec(tier);
  if (mock) return `${mock[1] === 'unknown' ? 'custom' : tierTitle(mock[1]!)} (mock)`;
  return TIER_TITLES[tier] ?? tier.toUpperCase();
};

/**
 * What a run ran on: the tier for a run on Tenstorrent chips; for a run whose probes computed on the
 * CPU or a GPU, a reference run, never a Tenstorrent result, whatever board the host has.
 */
export function systemTitle(tier: string, target: string = 'tt'): string {
  if (target === 'cpu') return 'JAX on CPU (reference)';
  if (target === 'gpu') return 'JAX on GPU (reference)';
  return tierTitle(tier);
}

/** A run on the CPU or a GPU says nothing about Tenstorrent support: no badge, no headline. */
export const isReference = (target: string) => target !== 'tt';
