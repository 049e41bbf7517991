import type { LoadedProbe } from '../../schemas/manifest.js';
import { TtprobeError } from '../../errors.js';
import { Stack } from '../../schemas/manifest.js';
import { didYouMean } from '../../nearest.js';

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

/** The values of one filter that name nothing known, as one sentence per value, with the nearest known name. */
function unknownValues(kind: string, values: string[], known: string[]): string[] {
  return values
    .filter((v) => !known.includes(v))
    .map((v) => `unknown ${kind} '${v}'${didYouMean(v, known)}; known ${kind}s: ${known.join(', ')}`);
}

export const asFlags = (filters: Filters) =>
  (['probe', 'stack', 'tag'] as const).flatMap((k) => filters[k].map((v) => `--${k} ${v}`)).join(' ');

/**
 * Filters are ANDed across kinds and ORed within one. A typo must not empty the night: a probe id,
 * stack or tag that names nothing, or filters that together select no probe, are usage errors.
 */
export function selectProbes(all: LoadedProbe[], filters: Filters, shard?: Shard, opts: { allowNone?: boolean } = {}): LoadedProbe[] {
  const tags = [...new Set(all.flatMap((p) => p.tags))].sort();
  const problems = [
    ...unknownValues('probe', filters.probe, all.map((p) => p.id)),
    ...unknownValues('stack', filters.stack, [...Stack.options]),
    ...unknownValues('tag', filters.tag, tags),
  ];
  if (problems.length) throw new TtprobeError('usage', problems.join('\n'));
  const selected = all.filter(
    (p) =>
      (filters.probe.length === 0 || filters.probe.includes(p.id)) &&
      (filters.stack.length === 0 || filters.stack.includes(p.stack)) &&
      (filters.tag.length === 0 || p.tags.some((t) => filters.tag.includes(t))),
  );
  if (!selected.length && asFlags(filters) && !opts.allowNone) {
    throw new TtprobeError('usage', `the filters select no probe: ${asFlags(filters)} (\`ttprobe list\` with the same filters shows what each selects)`);
  }
  if (!shard) return selected;
  // Sorted by id so every machine computes the same slice from the same probe set.
  return [...selected].sort((a, b) => a.id.localeCompare(b.id)).filter((_, i) => i % shard.count === shard.index - 1);
}
