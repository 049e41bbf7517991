import { isAscii } from 'node:buffer';
import { LiteralAutomaton } from './literal-dfa.js';

// A byte at or above 0x80 in latin1 text: where latin1 and UTF-8 decodings of a line part.
const NON_ASCII = /[\x80-\xff]/g;

/**
 * One block of log bytes as the classifier walks it: its latin1 text (string index = byte offset),
 * where the next needle is, and each line decoded as UTF-8 only when it holds a non-ASCII byte
 * (an ASCII line reads the same either way, so it is a slice of the block's text).
 *
 * The needle search runs forward from where it is asked and its answer is kept until the walk
 * passes it, so the block is searched once however many lines are read in between: lines inside an
 * error report are all read, and for those it tells whether they hold a needle at all.
 */
export class BlockCursor {
  text = '';
  private buf: Buffer = Buffer.alloc(0);
  private ascii = true;
  private needleFrom = 0;
  private needleAt = -1;
  private nonAsciiFrom = 0;
  private nonAsciiAt = -1;
  /** The needles as one automaton over the bytes; null when some needle is not ASCII. */
  private readonly automaton: LiteralAutomaton | null;
  /** The regex, for needles the automaton cannot take (null: no needles, every line is read). */
  private readonly needle: RegExp | null;

  /**
   * `needles`: lower-case literals, one of which every line that can matter holds; null when some
   * pattern has none. Only ASCII needles make hasNeedle() exact: one found in the latin1 text is one
   * in the decoded line and one not found is in neither; otherwise it answers true for every line.
   */
  constructor(needles: readonly string[] | null, regex: RegExp | null) {
    this.automaton = needles ? LiteralAutomaton.of(needles) : null;
    this.needle = needles ? regex : null;
  }

  reset(buf: Buffer): void {
    this.buf = buf;
    this.text = buf.toString('latin1');
    this.ascii = isAscii(buf);
    this.needleAt = this.nonAsciiAt = -1;
  }

  /**
   * A position on the first line at or after `from` (a line start) that holds a needle: where the
   * needle ends, or with the regex where it starts. The text's length when no line does.
   */
  nextNeedle(from: number): number {
    if (!this.needle) return from;
    if (this.needleAt < 0 || from < this.needleFrom || from > this.needleAt) {
      this.needleFrom = from;
      if (this.automaton) this.needleAt = this.automaton.firstEnd(this.buf, from, this.text.length);
      else {
        this.needle.lastIndex = from;
        this.needleAt = this.needle.exec(this.text)?.index ?? this.text.length;
      }
    }
    return this.needleAt;
  }

  /** Whether a needle lies on the line [start, end). */
  hasNeedle(start: number, end: number): boolean {
    return !this.automaton || this.nextNeedle(start) < end;
  }

  /** The line [start, end) as UTF-8 text, without a trailing carriage return. */
  line(start: number, end: number): string {
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    if (this.ascii || this.nextNonAscii(start) >= end) return this.text.slice(start, end);
    return this.buf.toString('utf8', start, end);
  }

  private nextNonAscii(from: number): number {
    if (this.nonAsciiAt < 0 || from < this.nonAsciiFrom || from > this.nonAsciiAt) {
      NON_ASCII.lastIndex = from;
      const m = NON_ASCII.exec(this.text);
      this.nonAsciiFrom = from;
      this.nonAsciiAt = m ? m.index : this.text.length;
    }
    return this.nonAsciiAt;
  }
}
