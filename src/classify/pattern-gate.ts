import type { CompiledPattern } from './catalog.js';
import { LiteralAutomaton } from './literal-dfa.js';
import { needlesOf } from './needles.js';

/**
 * Which of the catalog's patterns can match a line, from the literals the line holds. A line that
 * reaches the patterns used to run all of them (a hundred regexes) behind two giant alternations;
 * most such lines hold the literal of one or two patterns, so only those run.
 *
 * Every match of a pattern holds one of its literals (one per top-level branch, case aside), so a
 * pattern whose literals all miss the line cannot match it. Patterns with no such literal, with a
 * non-ASCII one, or whose literals escape needles.ts's reading (numeric escapes, back-references,
 * Unicode case folding) run on every line.
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
  /** Every pattern's literals; a pattern may match where one of its own occurs. */
  private readonly automaton: LiteralAutomaton | null;
  /** For each literal of the automaton, the pattern it came from. */
  private readonly patternOf: number[] = [];
  /** Patterns that run on every line that reaches them. */
  private readonly always: number[] = [];
  private readonly marks: Uint8Array;
  private found = 0;
  private readonly visit = (literals: readonly number[]) => {
    for (const l of literals) this.marks[this.patternOf[l]!] = 1;
    this.found++;
  };

  constructor(patterns: readonly CompiledPattern[]) {
    this.marks = new Uint8Array(patterns.length);
    const literals: string[] = [];
    patterns.forEach((p, i) => {
      const needles = ownNeedles(p);
      // The automaton takes ASCII literals only (see literal-dfa.ts).
      if (!needles || needles.some((n) => !/^[\x00-\x7f]+$/.test(n))) {
        this.always.push(i);
        return;
      }
      for (const n of needles) {
        literals.push(n);
        this.patternOf.push(i);
      }
    });
    this.automaton = literals.length ? LiteralAutomaton.of(literals) : null;
  }

  /** True when no pattern runs on every line: then a line without a literal can skip them all. */
  get selective(): boolean {
    return this.always.length === 0;
  }

  /** Marks the patterns the strings can match; returns how many literal occurrences it found. */
  select(...texts: string[]): number {
    this.marks.fill(0);
    for (const i of this.always) this.marks[i] = 1;
    this.found = 0;
    if (this.automaton) for (const text of texts) this.automaton.eachEnd(text, this.visit);
    return this.found;
  }

  /** Whether pattern `i` may match, as of the last select(). */
  may(i: number): boolean {
    return this.marks[i] === 1;
  }
}
