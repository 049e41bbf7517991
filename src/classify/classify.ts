import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CatalogEntry } from '../schemas/catalog.js';
import type { Layer } from '../schemas/outcome.js';
import type { LoadedCatalog, CompiledPattern } from './catalog.js';
import { DecisiveLineTracker, TRACKER_NEEDLES, signatureOf } from './signature.js';
import { minimalNeedles, needlesOf, trieAlternation } from './needles.js';

export interface Classification {
  entry: CatalogEntry | null;
  details: Record<string, string>;
  evidence: string[];
  /** Present when no entry matched but the output holds error lines. */
  signature: string | null;
  decisiveLines: string[];
  /** The layer named by the first library that a backtrace in the output mentions. */
  traceLayer: Layer | null;
}

// As tt-xla's own failure checks do: the library a backtrace runs through names the failing layer.
const LIBRARY_LAYERS: Array<[RegExp, Layer]> = [
  [/libTTMLIRCompiler\.so|libTTMLIRRuntime\.so|ttmlir-opt|StableHLOToTTIR|TTIRToTTNN/, 'tt-mlir'],
  [/libtt_metal\.so|_ttnncpp\.so|_ttnn\.so|tt_metal\/impl\//, 'tt-metal'],
  [/pjrt_plugin_tt\.so/, 'tt-xla'],
  [/libdevice\.so|tt_umd|libumd/, 'umd-kmd'],
];

type Source = 'stdout' | 'stderr' | 'message';
const MAX_EVIDENCE_CHARS = 500;
// Under V8's large-object size, so each block's string dies young instead of piling up until a full GC.
const CHUNK_BYTES = 64 * 1024;
const MAX_MATCH_LINE = 8192;

/**
 * One case-insensitive alternation of every literal the catalog's patterns and the signature tracker
 * need; null when some pattern has no literal, and then every line goes through every pattern.
 */
export function needleRegex(catalog: LoadedCatalog): RegExp | null {
  const needles: string[] = [...TRACKER_NEEDLES];
  for (const p of catalog.patterns) {
    const own = needlesOf(p.regex.source);
    if (!own) return null;
    needles.push(...own);
  }
  return new RegExp(trieAlternation(minimalNeedles(needles)), 'gi');
}

/** Strip named groups so many patterns can share one alternation used as a cheap pre-filter. */
function anonymise(regex: string): string {
  return regex.replace(/\(\?<([A-Za-z_]\w*)>/g, '(?:').replace(/\\k<[A-Za-z_]\w*>/g, '');
}

interface Hit {
  entry: CatalogEntry;
  order: number;
  line: string;
  details: Record<string, string>;
}

/** Line-by-line matcher over any number of streams; memory does not grow with log size. */
export class StreamClassifier {
  private readonly prefilters: RegExp[];
  private readonly needle: RegExp | null;
  private readonly hits = new Map<string, Hit>();
  private readonly tracker = new DecisiveLineTracker();
  private order = 0;
  private traceLayer: Layer | null = null;

  constructor(private readonly catalog: LoadedCatalog) {
    const byFlags = new Map<string, CompiledPattern[]>();
    for (const p of catalog.patterns) {
      const key = p.regex.flags;
      byFlags.set(key, [...(byFlags.get(key) ?? []), p]);
    }
    this.needle = needleRegex(catalog);
    this.prefilters = [...byFlags].map(
      ([flags, ps]) => new RegExp(ps.map((p) => `(?:${anonymise(p.regex.source)})`).join('|'), flags),
    );
  }

  feed(line: string, source: Source): void {
    // Patterns see at most this much of a line: bounds the cost of any regex on a pathological line.
    if (line.length > MAX_MATCH_LINE) line = line.slice(0, MAX_MATCH_LINE);
    this.order++;
    this.tracker.feed(line);
    if (this.traceLayer === null && (line.includes('.so') || /ttmlir|StableHLOToTTIR|tt_metal\//.test(line))) {
      this.traceLayer = LIBRARY_LAYERS.find(([re]) => re.test(line))?.[1] ?? null;
    }
    if (!this.prefilters.some((re) => re.test(line))) return;
    for (const p of this.catalog.patterns) {
      if (this.hits.has(p.entry.id)) continue;
      if (p.source !== 'any' && p.source !== source) continue;
      const match = p.regex.exec(line);
      if (!match) continue;
      const details: Record<string, string> = {};
      for (const [k, v] of Object.entries(match.groups ?? {})) if (v !== undefined) details[k] = v;
      this.hits.set(p.entry.id, { entry: p.entry, order: this.order, line: line.trim().slice(0, MAX_EVIDENCE_CHARS), details });
    }
  }

  feedText(text: string, source: Source): void {
    for (const line of text.split(/\r?\n/)) this.feed(line, source);
  }

  async feedFile(file: string, source: Source): Promise<void> {
    if (!this.needle) {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) this.feed(line, source);
      return;
    }
    // One reused buffer: a partial last line moves to its front before the next read. Reads are
    // synchronous: from the page cache they take microseconds, and awaiting each one cost a tenth
    // of the time on large logs.
    const fd = openSync(file, 'r');
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    try {
      for (;;) {
        const bytesRead = readSync(fd, buf, filled, buf.length - filled, null);
        if (bytesRead === 0) {
          if (filled) this.scan(buf.subarray(0, filled), source);
          return;
        }
        const end = filled + bytesRead;
        const lastNewline = buf.lastIndexOf(10, end - 1);
        // A line longer than the buffer is scanned in pieces.
        const cut = lastNewline < 0 ? end : lastNewline + 1;
        this.scan(buf.subarray(0, cut), source);
        buf.copyWithin(0, cut, end);
        filled = end - cut;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Feeds only the lines of `buf` that hold a needle. latin1 keeps string index equal to byte offset. */
  private scan(buf: Buffer, source: Source): void {
    const text = buf.toString('latin1');
    const needle = this.needle!;
    needle.lastIndex = 0;
    for (let m = needle.exec(text); m; m = needle.exec(text)) {
      const start = text.lastIndexOf('\n', m.index) + 1;
      const newline = text.indexOf('\n', m.index);
      const end = newline < 0 ? text.length : newline;
      this.feed(buf.toString('utf8', start, end), source);
      needle.lastIndex = end + 1;
    }
  }

  /** Highest priority wins; among equals the earliest line, since later errors are usually consequences. */
  result(): Classification {
    const ranked = [...this.hits.values()].sort((a, b) => b.entry.priority - a.entry.priority || a.order - b.order);
    const best = ranked[0];
    const decisiveLines = this.tracker.decisive();
    if (!best) {
      return {
        entry: null,
        details: {},
        evidence: decisiveLines.map((l) => l.slice(0, MAX_EVIDENCE_CHARS)),
        signature: decisiveLines.length ? signatureOf(decisiveLines) : null,
        decisiveLines,
        traceLayer: this.traceLayer,
      };
    }
    const details = { ...best.details };
    for (const hit of ranked.slice(1)) for (const [k, v] of Object.entries(hit.details)) details[k] ??= v;
    const evidence = [best.line, ...ranked.slice(1, 3).map((h) => h.line)];
    return { entry: best.entry, details, evidence: [...new Set(evidence)], signature: null, decisiveLines, traceLayer: this.traceLayer };
  }
}

/** What a clean pass or skip is classified as: nothing to read in its logs. */
export const NO_CLASSIFICATION: Classification = { entry: null, details: {}, evidence: [], signature: null, decisiveLines: [], traceLayer: null };

export interface ClassifyInputs {
  stdoutFile?: string;
  stderrFile?: string;
  text?: string;
  message?: string | null;
}

export async function classify(catalog: LoadedCatalog, inputs: ClassifyInputs): Promise<Classification> {
  const classifier = new StreamClassifier(catalog);
  if (inputs.stdoutFile) await classifier.feedFile(inputs.stdoutFile, 'stdout');
  if (inputs.stderrFile) await classifier.feedFile(inputs.stderrFile, 'stderr');
  if (inputs.text !== undefined) classifier.feedText(inputs.text, 'stderr');
  if (inputs.message) classifier.feedText(inputs.message, 'message');
  return classifier.result();
}
