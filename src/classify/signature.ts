import { createHash } from 'node:crypto';
import { PY_EXCEPTION, type LineRole } from './error-structure.js';

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
    // Digits inside identifiers name things (layer_3, conv2d, bf16) and stay; free numbers fold.
    .replace(/(?<![A-Za-z_\d])\d+(?:\.\d+)?(?![A-Za-z_\d])/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

export function signatureOf(lines: string[]): string {
  const text = lines.map(normaliseLine).join('\n');
  return `sig-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

const TT_FATAL = /\b(TT_FATAL|TT_THROW|TT_ASSERT|LOG_ASSERT|Assertion .* failed|LLVM ERROR|terminate called|UNREACHABLE executed)/;
const NOISE = /\b(warning|warn|deprecat)/i;

/** Literals of every line the structure reader and the tracker must see (for the needle scan). */
export const TRACKER_NEEDLES = [
  'error', 'exception', 'exit', 'interrupt', 'tt_fatal', 'tt_throw', 'tt_assert', 'log_assert', 'debug_assert',
  'terminate called', 'assert', 'fatal', 'critical', 'abort', 'fail', 'panic', 'segmentation fault', 'core dumped',
  'traceback', 'stack dump', 'unreachable', 'what():', 'non-ok-status', 'timeout', 'timed out', 'time out', ' hang',
  'hung', 'cannot', "can't", 'could not', 'unable', 'not found', 'no such', 'mismatch', 'denied', 'refused',
  'killed', 'invalid', 'unsupported', 'not supported', 'out of memory', 'exceed', 'beyond', 'not complete',
  'did not complete', ' fault', 'unrecoverable', 'unresponsive', 'not responding', 'bug:', 'not detected',
  'not present', 'not available', 'not implemented', 'unimplemented', 'compile stage', 'compiling', 'lowering to',
  'executing operation', 'executing program', 'executing the model', 'on device', 'on the device', 'execute_trace', 'no tenstorrent', 'no tt ', 'no device', 'no chip', 'no driver',
];

export interface DecisiveLine {
  line: string;
  block: number | null;
}

/**
 * Streams lines and keeps only what decides an unknown failure's signature (bounded memory): the
 * first tt-metal/LLVM fatal, the last Python exception, else the last line that states an error.
 */
export class DecisiveLineTracker {
  private lastException: DecisiveLine | null = null;
  private firstFatal: DecisiveLine | null = null;
  private lastStatement: DecisiveLine | null = null;
  private lastWarning: DecisiveLine | null = null;

  feed(text: string, role: LineRole): void {
    const line = text.trim();
    if (!line || line.length > 4000) return;
    if (role.warnsError) this.lastWarning = { line, block: role.block };
    if (!role.statesError) return;
    const seen = { line, block: role.block };
    if (PY_EXCEPTION.test(line) && !TT_FATAL.test(line)) this.lastException = seen;
    else if (TT_FATAL.test(line)) this.firstFatal ??= seen;
    else if (!NOISE.test(line)) this.lastStatement = seen;
  }

  decisive(): DecisiveLine[] {
    const lines = [this.firstFatal, this.lastException].filter((l): l is DecisiveLine => l !== null);
    if (lines.length) return lines;
    // A log whose only errors were logged as warnings still holds an error.
    const fallback = this.lastStatement ?? this.lastWarning;
    return fallback ? [fallback] : [];
  }
}
