import type { CatalogEntry } from '../schemas/catalog.js';
import type { Category, Layer, Outcome } from '../schemas/outcome.js';
import { readLogLine } from './log-line.js';
import { normaliseLine } from './signature.js';

/** One unknown failure as stored in a run, with when and where it was seen. */
export interface UnknownSighting {
  outcome: Outcome;
  runId: string;
  tier: string;
}

export interface DraftedEntry extends CatalogEntry {
  /** For the reviewer: how often and where the cluster was seen (not part of a catalog entry). */
  cluster: { signatures: string[]; count: number; probes: string[]; tiers: string[] };
}

const PLACEHOLDERS: Record<string, string> = {
  '<n>': '[\\d.]+',
  '<hex>': '(?:0x)?[0-9a-fA-F]+',
  '<time>': '[\\d:.,T+-]+',
  '<uuid>': '[0-9a-fA-F-]+',
  '<path>': '\\S+',
};
const MAX_PATTERN_TOKENS = 24;
const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * A regex for every line that normalises like `line`: the literal text kept, what varies between
 * nights (numbers, addresses, paths, times) matched loosely. Cut after a couple of dozen tokens, so
 * a long message keeps a readable, cheap pattern. The result has no nested repetition.
 */
export function patternOf(line: string): string {
  const normalised = normaliseLine(readLogLine(line).text);
  const tokens = normalised.split(/(<n>|<hex>|<time>|<uuid>|<path>)/).filter(Boolean);
  let words = 0;
  const parts: string[] = [];
  for (const token of tokens) {
    if (PLACEHOLDERS[token]) {
      parts.push(PLACEHOLDERS[token]!);
      words++;
    } else {
      // Whitespace was folded to single spaces; logs may hold runs of them.
      const pieces = token.split(' ');
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) parts.push(' +');
        parts.push(escape(piece));
        if (piece) words++;
        if (words >= MAX_PATTERN_TOKENS) break;
      }
    }
    if (words >= MAX_PATTERN_TOKENS) break;
  }
  // People paste a message capitalised or not: the first letter matches either case.
  return parts
    .join('')
    .replace(/^( \+)+|( \+)+$/g, '')
    .replace(/^[A-Za-z]/, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
}

/** The line a draft is written from: the runtime's own fatal first, then the exception. */
function decisiveOf(o: Outcome): string | null {
  return o.evidence.find((l) => /TT_FATAL|TT_THROW|TT_ASSERT|Assertion|LLVM ERROR/.test(l)) ?? o.evidence.at(-1) ?? null;
}

/**
 * Clusters unknown failures by signature (and by the pattern drafted for them, which merges
 * signatures that differ only past the pattern's cut), and drafts one catalog entry per cluster
 * for a person to review: category and layer as the generic rules and the backtrace left them.
 */
export function draftEntries(sightings: UnknownSighting[], today: string): DraftedEntry[] {
  const clusters = new Map<string, { line: string; sightings: UnknownSighting[] }>();
  for (const s of sightings) {
    if (!s.outcome.signature) continue;
    const line = decisiveOf(s.outcome);
    if (!line) continue;
    const key = patternOf(line);
    const cluster = clusters.get(key) ?? { line, sightings: [] };
    cluster.sightings.push(s);
    clusters.set(key, cluster);
  }
  const drafts: DraftedEntry[] = [];
  for (const [pattern, { line, sightings: seen }] of clusters) {
    const dates = seen.map((s) => s.outcome.startedAt).sort();
    const layers = seen.map((s) => s.outcome.layer).filter((l): l is Layer => l !== null);
    const categories = seen.map((s) => s.outcome.category).filter((c): c is Category => c !== null);
    const examples = [...new Set(seen.map((s) => decisiveOf(s.outcome)!))].slice(0, 3);
    const signatures = [...new Set(seen.map((s) => s.outcome.signature!))];
    drafts.push({
      id: `draft-${signatures[0]!.replace(/^sig-/, '')}`,
      title: `Unreviewed: ${normaliseLine(readLogLine(line).text).slice(0, 100)}`,
      category: mostCommon(categories) ?? 'unknown',
      layer: mostCommon(layers) ?? 'tt-metal',
      priority: 500,
      patterns: [{ regex: pattern, flags: '', source: 'any', scope: 'line' }],
      generic: false,
      layerFromTrace: true,
      categoryByLayer: {},
      categoryByStage: {},
      unsupportedOps: [],
      links: [],
      seenIn: [],
      firstSeen: dates[0],
      lastSeen: dates.at(-1),
      notes: `Drafted by ttprobe catalog suggest on ${today} from ${seen.length} failure(s); review the category, title and pattern, and name the code that prints the message in source, before adding it.`,
      examples,
      cluster: {
        signatures,
        count: seen.length,
        probes: [...new Set(seen.map((s) => s.outcome.probe))].sort(),
        tiers: [...new Set(seen.map((s) => s.tier))].sort(),
      },
    });
  }
  return drafts.sort((a, b) => b.cluster.count - a.cluster.count || a.id.localeCompare(b.id));
}

function mostCommon<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}
