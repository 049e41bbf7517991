import type { LoadedProbe } from '../../schemas/manifest.js';
import { TtprobeError } from '../../errors.js';

export interface Filters {
  probe: string[];
  stack: string[];
  tag: string[];
}

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new TtprobeError('usage', `--shard must be i/n with 1 <= i <= n, got '${text}'`);
  }
  return { index, count };
}

/** Filters are ANDed across kinds and ORed within one; an unknown probe id is a usage error, not an empty run. */
export function selectProbes(all: LoadedProbe[], filters: Filters, shard?: Shard): LoadedProbe[] {
  const known = new Set(all.map((p) => p.id));
  const unknown = filters.probe.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new TtprobeError('usage', `unknown probe id(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  const selected = all.filter(
    (p) =>
      (filters.probe.length === 0 || filters.probe.includes(p.id)) &&
      (filters.stack.length === 0 || filters.stack.includes(p.stack)) &&
      (filters.tag.length === 0 || p.tags.some((t) => filters.tag.includes(t))),
  );
  if (!shard) return selected;
  // Sorted by id so every machine computes the same slice from the same probe set.
  return [...selected].sort((a, b) => a.id.localeCompare(b.id)).filter((_, i) => i % shard.count === shard.index - 1);
}
