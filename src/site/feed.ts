import { compare } from '../compare/compare.js';
import { asCompareInput } from './compare-input.js';
import type { SiteRun } from './site-run.js';
import { runTitle, slug } from './naming.js';

/** How many nights with changes the feed keeps, newest first. */
export const FEED_ENTRIES = 100;

export interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  text: string;
}

export interface FeedModel {
  id: string;
  updated: string;
  entries: FeedEntry[];
}

/**
 * Characters XML 1.0 cannot carry even as references (C0 controls but tab and newlines, lone
 * surrogates, U+FFFE/U+FFFF): logs keep raw bytes, so a field may hold them. The template escapes
 * the rest (`&`, `<`, `>`, quotes).
 */
export const xmlSafe = (text: string) => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

/**
 * One entry per night and system with regressions or fixes against that system's night before,
 * the newest FEED_ENTRIES of them: nights are compared newest first until the feed is full.
 */
export function buildFeed(runs: SiteRun[], generatedAt: string): FeedModel {
  const previous = new Map<SiteRun, SiteRun>();
  const lastOfTier = new Map<string, SiteRun>();
  for (const r of runs) {
    const before = lastOfTier.get(r.fingerprint.tier);
    if (before) previous.set(r, before);
    lastOfTier.set(r.fingerprint.tier, r);
  }
  const entries: FeedEntry[] = [];
  for (let i = runs.length - 1; i >= 0 && entries.length < FEED_ENTRIES; i--) {
    const night = runs[i]!;
    const before = previous.get(night);
    if (!before) continue;
    const tier = night.fingerprint.tier;
    const changes = compare([asCompareInput(before)], [asCompareInput(night)]).changes;
    const broke = changes.filter((c) => c.kind === 'regression');
    const fixed = changes.filter((c) => c.kind === 'fix');
    if (!broke.length && !fixed.length) continue;
    const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;
    const lines = [
      ...(broke.length ? ['Regressions:', ...broke.map((c) => `  ${c.probe}: ${c.transition}`)] : []),
      ...(fixed.length ? ['Fixes:', ...fixed.map((c) => `  ${c.probe}: ${c.transition}`)] : []),
      `Versions: fw ${night.fingerprint.firmwareBundle ?? 'n/a'}, plugin ${night.fingerprint.plugin ?? 'n/a'}, tt-metal ${night.fingerprint.ttMetal ?? 'n/a'}`,
      `Compared with ${before.runId} (${before.startedAt}).`,
    ];
    entries.push({
      id: `urn:ttprobe:run:${slug(tier)}:${slug(night.runId)}`,
      title: xmlSafe(`${runTitle(night)} ${night.startedAt.slice(0, 10)}: ${count(broke.length, 'regression')}, ${count(fixed.length, 'fix')}`),
      updated: night.startedAt,
      text: xmlSafe(lines.join('\n')),
    });
  }
  return { id: 'urn:ttprobe:support-status', updated: entries[0]?.updated ?? generatedAt, entries };
}
