import { createHash } from 'node:crypto';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Fold what differs between nights and machines so the same failure keeps one id. */
export function normaliseLine(line: string): string {
  return line
    .replace(ANSI, '')
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/0x[0-9a-f]+/gi, '<hex>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/(?:\/(?:tmp|var\/tmp|home|root|Users|private)\b|~)(?:\/[^\s:'"),\]]*)+/g, '<path>')
    .replace(/\b(pid|PID|process|thread)[ =:]+\d+/g, '$1 <n>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

export function signatureOf(lines: string[]): string {
  const text = lines.map(normaliseLine).join('\n');
  return `sig-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

const PY_EXCEPTION = /^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)(?::|$)/;
const TT_FATAL = /\b(TT_FATAL|TT_THROW|Assertion .* failed|LLVM ERROR|terminate called)/;
const GENERIC = /\b(error|exception|fatal|abort(?:ed)?|assert(?:ion)?|failed|failure|panic|segmentation fault|core dumped)\b/i;
const NOISE = /\b(warning|warn|deprecat)/i;

/** Literals every line the tracker cares about contains (for the classifier's needle scan). */
export const TRACKER_NEEDLES = [
  'error', 'exception', 'exit', 'interrupt', 'tt_fatal', 'tt_throw', 'terminate called', 'assert',
  'fatal', 'abort', 'fail', 'panic', 'segmentation fault', 'core dumped', '.so', 'ttmlir', 'stablehlotottir', 'tt_metal/',
];

/** Streams lines and keeps only what decides an unknown failure's signature: bounded memory. */
export class DecisiveLineTracker {
  private lastException: string | null = null;
  private firstFatal: string | null = null;
  private lastGeneric: string | null = null;

  feed(raw: string): void {
    const line = raw.replace(ANSI, '').trim();
    if (!line || line.length > 4000) return;
    if (PY_EXCEPTION.test(line)) this.lastException = line;
    else if (!this.firstFatal && TT_FATAL.test(line)) this.firstFatal = line;
    else if (GENERIC.test(line) && !NOISE.test(line)) this.lastGeneric = line;
  }

  decisive(): string[] {
    const lines = [this.firstFatal, this.lastException].filter((l): l is string => l !== null);
    if (lines.length) return lines;
    return this.lastGeneric ? [this.lastGeneric] : [];
  }
}
