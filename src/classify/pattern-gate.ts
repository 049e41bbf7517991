import type { CompiledPattern } from './catalog.js';
import { minimalNeedles, needlesOf, trieAlternation } from './needles.js';

/**
 * Which of the catalog's patterns can match a line, from the literals the line holds. A line that
 * reaches the patterns used to run all of them (a hundred regexes) behind two giant alternations;
 * most such lines hold the literal of one or two patterns, so only those run.
 *
 * Each pattern is filed under one literal that every match of one of its branches contains, so a
 * pattern left out cannot match. Patterns with no such literal, and those whose literals escape
 * needles.ts's reading (numeric escapes, back-references, Unicode case folding), run on every line.
 */

// Escapes whose following characters are no literal text: `\x41`, `\u0041`, `\cJ`, `\k<name>`, `\1`, `\p{L}`.
const OPAQUE_ESCAPE = /\\[xuckpP0-9]/;

function ownNeedles(p: CompiledPattern): string[] | null {
  // The site a throw-site pattern reads is not the line, so line literals say nothing of it.
  if (p.source === 'throw-site') return null;
  if (OPAQUE_ESCAPE.test(p.regex.source) || (p.regex.unicode && p.regex.ignoreCase)) return null;
  return needlesOf(p.regex.source);
}

export class PatternGate {
  /** One case-insensitive alternation of the filed literals; none of them is a prefix of another. */
  private readonly literals: RegExp | null;
  /** For each filed literal (lower case), the indices of the patterns filed under it. */
  private readonly byLiteral = new Map<string, number[]>();
  /** Patterns that run on every line that reaches them. */
  private readonly always: number[] = [];
  private readonly marks: Uint8Array;
  private readonly count: number;

  constructor(patterns: readonly CompiledPattern[]) {
    this.count = patterns.length;
    this.marks = new Uint8Array(patterns.length);
    const own = patterns.map(ownNeedles);
    const kept = minimalNeedles(own.flatMap((n) => n ?? []));
    own.forEach((needles, i) => {
      if (!needles) {
        this.always.push(i);
        return;
      }
      for (const n of needles) {
        // The longest kept literal inside this one: a line holding `n` holds it, and it is the rarest.
        const lower = n.toLowerCase();
        const k = kept.filter((c) => lower.includes(c)).reduce((a, b) => (b.length > a.length ? b : a));
        const list = this.byLiteral.get(k) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        this.byLiteral.set(k, list);
      }
    });
    this.literals = this.byLiteral.size ? new RegExp(trieAlternation([...this.byLiteral.keys()]), 'gi') : null;
  }

  /** True when no pattern runs on every line: then a line without a filed literal can skip them all. */
  get selective(): boolean {
    return this.always.length === 0;
  }

  /**
   * Marks the patterns each string can match and returns how many literal-filed ones it found.
   * Every occurrence counts, overlapping ones too, hence the step of one character after a hit.
   */
  select(...texts: string[]): number {
    this.marks.fill(0);
    for (const i of this.always) this.marks[i] = 1;
    let found = 0;
    const re = this.literals;
    if (!re) return 0;
    for (const text of texts) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const list = this.byLiteral.get(m[0].toLowerCase());
        // Case folding outside ASCII could yield a spelling the map lacks: then every pattern runs.
        if (!list) this.marks.fill(1);
        else for (const i of list) this.marks[i] = 1;
        found++;
        re.lastIndex = m.index + 1;
      }
    }
    return found;
  }

  /** Whether pattern `i` may match, as of the last select(). */
  may(i: number): boolean {
    return i < this.count && this.marks[i] === 1;
  }
}
