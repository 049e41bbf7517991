import { closeSync, openSync, readSync } from 'node:fs';
import type { CatalogEntry } from '../schemas/catalog.js';
import type { Stage as ProbeStage } from '../schemas/stage.js';
import type { Category, Layer } from '../schemas/outcome.js';
import type { LoadedCatalog, CompiledPattern } from './catalog.js';
import { ERROR_WORDS, ErrorStructure, type LineRole, type Stage } from './error-structure.js';
import { readLogLine, type LogLine } from './log-line.js';
import { minimalNeedles, needlesOf, trieAlternation } from './needles.js';
import { PatternGate } from './pattern-gate.js';
import { BlockCursor } from './literal-scan.js';
import { opDetails } from './ops.js';
import { DecisiveLineTracker, TRACKER_NEEDLES, signatureOf } from './signature.js';

export interface Classification {
  entry: CatalogEntry | null;
  /** The category a person files the failure under; null when the output holds no error at all. */
  category: Category | null;
  /** The failing layer: the decisive error's own throw site and frames, where its entry allows. */
  layer: Layer | null;
  details: Record<string, string>;
  evidence: string[];
  /** Present when no entry matched but the output holds error lines. */
  signature: string | null;
  decisiveLines: string[];
}

type Source = 'stdout' | 'stderr' | 'message';
const MAX_EVIDENCE_CHARS = 500;
// Under V8's large-object size, so each block's string dies young instead of piling up until a full GC.
const CHUNK_BYTES = 64 * 1024;
const MAX_MATCH_LINE = 8192;
// At a line's start: tt-metal's and loguru's `... | info | ...` columns, tt-xla's `file.cc:12   INFO|`.
const INFO_LINE = /(?:[^|\n]{0,40}\|\s{0,12}(?:info|debug|trace)\s{0,12}\||\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \(\s*[\d.]+s\) \[[^\]\n]{0,40}\]\s+[\w.-]{1,80}:\d+\s+(?:INFO|\d)\|)/iy;
/** Below this priority an entry names a symptom (an abort, `Error code: 13`), never the cause. */
const SYMPTOM_PRIORITY = 500;

/**
 * Patterns that read only lines stating an error, or only throw sites, need no needles of their own:
 * every such line holds one of the structure reader's.
 */
export const needsOwnNeedles = (p: CompiledPattern) => p.scope === 'line' && p.source !== 'throw-site';

/**
 * One case-insensitive alternation of every literal the catalog's patterns and the error-structure
 * reader need; null when some pattern has no literal, and then every line is read.
 */
export function catalogNeedles(catalog: LoadedCatalog): string[] | null {
  const needles: string[] = [...TRACKER_NEEDLES];
  for (const p of catalog.patterns) {
    if (!needsOwnNeedles(p)) continue;
    const own = needlesOf(p.regex.source);
    if (!own) return null;
    needles.push(...own);
  }
  return minimalNeedles(needles);
}

export function needleRegex(catalog: LoadedCatalog): RegExp | null {
  const needles = catalogNeedles(catalog);
  return needles ? new RegExp(trieAlternation(needles), 'gi') : null;
}

interface Hit {
  entry: CatalogEntry;
  order: number;
  line: string;
  details: Record<string, string>;
  block: number | null;
  stage: Stage;
  /** Said at warning level: it only decides when nothing said at a higher level matched. */
  warning: boolean;
}

/**
 * A generic rule reads words and wrappers; a specific entry names the cause they follow from. So a
 * generic winner gives way to a specific hit on its own line, or on an earlier line unless that hit
 * is only a symptom (an abort, `Error code: 13`), which precedes nothing it explains.
 */
function promoteSpecific(ranked: Hit[]): void {
  const top = ranked[0];
  if (!top?.entry.generic) return;
  const specific = ranked.find(
    (h) => !h.entry.generic && h.warning === top.warning && (h.order === top.order || (h.order < top.order && h.entry.priority >= SYMPTOM_PRIORITY)),
  );
  if (!specific) return;
  ranked.splice(ranked.indexOf(specific), 1);
  ranked.unshift(specific);
}

/** Line-by-line matcher over any number of streams; memory does not grow with log size. */
export class StreamClassifier {
  private readonly needle: RegExp | null;
  /** Which patterns a line's literals allow: a line without any can only match by its role. */
  private readonly gate: PatternGate;
  private readonly cursor: BlockCursor;
  private readonly hits = new Map<string, Hit>();
  private readonly structure = new ErrorStructure();
  private readonly tracker = new DecisiveLineTracker();
  private order = 0;
  private listedOp: string | null = null;

  constructor(private readonly catalog: LoadedCatalog) {
    const needles = catalogNeedles(catalog);
    this.needle = needles ? new RegExp(trieAlternation(needles), 'gi') : null;
    this.gate = new PatternGate(catalog.patterns);
    this.cursor = new BlockCursor(needles, this.needle);
  }

  /** `hasNeedle` false: the line holds none of the needles, so only its role can make a pattern match. */
  feed(raw: string, source: Source, hasNeedle = true): void {
    // Patterns see at most this much of a line: bounds the cost of any regex on a pathological line.
    if (raw.length > MAX_MATCH_LINE) raw = raw.slice(0, MAX_MATCH_LINE);
    this.order++;
    const line = readLogLine(raw);
    const role = this.structure.feed(line);
    this.tracker.feed(line.text, role);
    if (role.listedOp) this.listedOp ??= role.listedOp;
    // An info or debug line reports progress, never a failure: `BuildKernels | JIT cache stats`,
    // `Compiling kernel ...` and the like end every log, failed or not.
    if (line.severity === 'info') return;
    const unwrapped = line.text !== raw.trim();
    // Patterns read the line and, when wrappers were cut, the raw line: text is a piece of raw
    // unless colour codes were taken out of it.
    if (!hasNeedle && !role.statesError && !role.warnsError && !role.site) return;
    const literals = raw.includes('\x1b') ? this.gate.select(raw, line.text) : this.gate.select(raw);
    // Frames, traceback lines and chatter that hold no pattern's literal cannot match a line-scope
    // pattern, and error-statement and throw-site patterns need a role this line does not have.
    if (!role.statesError && !role.warnsError && !role.site && !literals && this.gate.selective) return;
    const patterns = this.catalog.patterns;
    for (let i = 0; i < patterns.length; i++) {
      if (!this.gate.may(i)) continue;
      const p = patterns[i]!;
      if (p.source === 'throw-site' ? !role.site : p.source !== 'any' && p.source !== source) continue;
      if (p.scope === 'error-statement' && !role.statesError && !role.warnsError) continue;
      const previous = this.hits.get(p.entry.id);
      if (previous && !(previous.warning && line.severity !== 'warning')) continue;
      const match = p.source === 'throw-site' ? p.regex.exec(role.site!) : p.regex.exec(line.text) ?? (unwrapped ? p.regex.exec(raw) : null);
      if (match) this.hit(p.entry, match, line, role);
    }
  }

  private hit(entry: CatalogEntry, match: RegExpExecArray, line: LogLine, role: LineRole): void {
    const details: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.groups ?? {})) if (v !== undefined) details[k] = v;
    if (details.op) Object.assign(details, opDetails(details.op));
    if (role.block !== null) this.structure.pin(role.block);
    this.hits.set(entry.id, {
      entry,
      order: this.order,
      line: line.text.slice(0, MAX_EVIDENCE_CHARS),
      details,
      block: role.block,
      stage: role.stage,
      warning: line.severity === 'warning',
    });
  }

  feedText(text: string, source: Source): void {
    for (const line of text.split(/\r?\n/)) this.feed(line, source);
  }

  async feedFile(file: string, source: Source): Promise<void> {
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

  /**
   * Feeds the lines of `buf` that hold a needle, and every line of an error report once one is
   * open (an exception's message and frames need not hold one). latin1 keeps string index equal
   * to byte offset. `buf` ends at a line end (or a cut of an over-long line); stdin is fed through it too.
   */
  scan(buf: Buffer, source: Source): void {
    const cursor = this.cursor;
    cursor.reset(buf);
    const text = cursor.text;
    let at = 0;
    while (at < text.length) {
      let start = at;
      if (this.needle && !this.structure.wantsContext()) {
        const found = cursor.nextNeedle(at);
        if (found >= text.length) return;
        start = text.lastIndexOf('\n', found) + 1;
      }
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      // The slow path (decode, unwrap, structure, patterns) is for lines that can state an error;
      // an info or debug line outside an error report only tells the stage.
      INFO_LINE.lastIndex = start;
      const info = !this.structure.wantsContext() && INFO_LINE.test(text) ? text.slice(start, end) : null;
      // An info line worded as an error still tells the log holds one (older tt-metal logged build failures at info).
      if (info !== null && !ERROR_WORDS.test(info)) this.structure.progress(info);
      else this.feed(cursor.line(start, end), source, cursor.hasNeedle(start, end));
      at = end + 1;
    }
  }

  /**
   * Highest priority wins (said at warning level always loses to said as an error); among equals
   * the earliest line, since later errors are usually consequences. `recordedStage`, the stage the
   * probe itself wrote, wins over what the log's progress lines suggest for categoryByStage.
   */
  result(recordedStage?: ProbeStage | null): Classification {
    const ranked = [...this.hits.values()].sort(
      (a, b) => Number(a.warning) - Number(b.warning) || b.entry.priority - a.entry.priority || a.order - b.order,
    );
    promoteSpecific(ranked);
    const best = ranked[0];
    const decisive = this.tracker.decisive();
    const decisiveLines = decisive.map((d) => d.line);
    if (!best) {
      const blockLayer = decisive.map((d) => this.structure.facts(d.block)?.layer ?? null).find((l) => l) ?? null;
      return {
        entry: null,
        category: decisiveLines.length ? 'unknown' : null,
        layer: blockLayer,
        details: {},
        evidence: decisiveLines.map((l) => l.slice(0, MAX_EVIDENCE_CHARS)),
        signature: decisiveLines.length ? signatureOf(decisiveLines) : null,
        decisiveLines,
      };
    }
    const details = { ...best.details };
    // Only another line of the same rule may fill a gap: a second rule's op would name a failure this one is not.
    for (const hit of ranked.slice(1)) if (hit.entry === best.entry) for (const [k, v] of Object.entries(hit.details)) details[k] ??= v;
    if (best.entry.category === 'unsupported-op' && !details.op && this.listedOp) Object.assign(details, opDetails(this.listedOp));
    const facts = this.structure.facts(best.block);
    if (facts?.site) details.site ??= facts.site;
    const layer = best.entry.layerFromTrace && facts?.layer ? facts.layer : best.entry.layer;
    const byLayer = best.entry.layerFromTrace && facts?.layer ? best.entry.categoryByLayer[facts.layer] : undefined;
    const stage = recordedStage === undefined ? best.stage : recordedStage === 'compile' || recordedStage === 'execute' ? recordedStage : null;
    const byStage = stage ? best.entry.categoryByStage[stage] : undefined;
    const category = byLayer ?? byStage ?? best.entry.category;
    const evidence = [best.line, ...ranked.slice(1, 3).map((h) => h.line)];
    return { entry: best.entry, category, layer, details, evidence: [...new Set(evidence)], signature: null, decisiveLines };
  }
}

/** What a clean pass or skip is classified as: nothing to read in its logs. */
export const NO_CLASSIFICATION: Classification = {
  entry: null,
  category: null,
  layer: null,
  details: {},
  evidence: [],
  signature: null,
  decisiveLines: [],
};

export interface ClassifyInputs {
  stdoutFile?: string;
  stderrFile?: string;
  text?: string;
  message?: string | null;
  /** The stage the probe wrote last, when it wrote one. */
  stage?: ProbeStage | null;
}

export async function classify(catalog: LoadedCatalog, inputs: ClassifyInputs): Promise<Classification> {
  const classifier = new StreamClassifier(catalog);
  if (inputs.stdoutFile) await classifier.feedFile(inputs.stdoutFile, 'stdout');
  if (inputs.stderrFile) await classifier.feedFile(inputs.stderrFile, 'stderr');
  if (inputs.text !== undefined) classifier.feedText(inputs.text, 'stderr');
  if (inputs.message) classifier.feedText(inputs.message, 'message');
  return classifier.result(inputs.stage ?? undefined);
}
