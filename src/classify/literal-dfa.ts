/**
 * A set of ASCII literals as one automaton (Aho-Corasick, every failure link resolved ahead into a
 * full transition table), matched without regard to ASCII case: one table step per byte, about
 * twice the speed of V8 running the same literals as one case-insensitive regex alternation, and it
 * finds every occurrence, overlapping ones too.
 *
 * Case folding is exactly the regex's: a case-insensitive regex without the `u` flag never matches a
 * character above 0x7f to an ASCII one, so those all step like any character no literal holds.
 */
export class LiteralAutomaton {
  /** Next state, indexed by a state (premultiplied by `width`) plus a character's class. */
  private readonly delta: Int32Array;
  /** Class of each byte or Latin-1 character: 0 for those no literal holds, ASCII case folded. */
  private readonly classOf = new Uint8Array(256);
  /** States at or above this one end a literal. */
  private readonly acceptFrom: number;
  private readonly width: number;
  /** For each accepting state, (state - acceptFrom) / width: the literals (indices) ending there. */
  private readonly ending: number[][];

  /** Null when some literal is empty or not ASCII: then callers use their regex instead. */
  static of(literals: readonly string[]): LiteralAutomaton | null {
    return literals.every((l) => /^[\x00-\x7f]+$/.test(l) && !l.includes('\n')) ? new LiteralAutomaton(literals) : null;
  }

  private constructor(literals: readonly string[]) {
    const lower = literals.map((l) => l.toLowerCase());
    let classes = 1;
    for (const l of lower) for (let i = 0; i < l.length; i++) if (!this.classOf[l.charCodeAt(i)]) this.classOf[l.charCodeAt(i)] = classes++;
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c + 32]!;
    const width = (this.width = classes);

    // The trie, then breadth-first: each state's missing steps are its failure state's steps.
    const next: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    lower.forEach((l, index) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const c = this.classOf[l.charCodeAt(i)]!;
        let t = next[s]!.get(c);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          ends.push([]);
          next[s]!.set(c, t);
        }
        s = t;
      }
      ends[s]!.push(index);
    });
    const table = new Int32Array(next.length * width);
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    for (let c = 0; c < width; c++) {
      const t = next[0]!.get(c) ?? 0;
      table[c] = t;
      if (t) queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      // A state also ends every literal its failure state ends (a suffix of what it has read).
      if (ends[fail[s]!]!.length) ends[s] = [...ends[s]!, ...ends[fail[s]!]!];
      for (let c = 0; c < width; c++) {
        const t = next[s]!.get(c);
        if (t === undefined) table[s * width + c] = table[fail[s]! * width + c]!;
        else {
          fail[t] = table[fail[s]! * width + c]!;
          table[s * width + c] = t;
          queue.push(t);
        }
      }
    }

    // Renumber so accepting states come last, premultiplied: one comparison tells a match.
    const id = new Int32Array(next.length);
    let n = 0;
    for (let s = 0; s < next.length; s++) if (!ends[s]!.length) id[s] = n++ * width;
    this.acceptFrom = n * width;
    this.ending = [];
    for (let s = 0; s < next.length; s++) {
      if (!ends[s]!.length) continue;
      id[s] = n++ * width;
      this.ending.push(ends[s]!);
    }
    this.delta = new Int32Array(table.length);
    for (let s = 0; s < next.length; s++) for (let c = 0; c < width; c++) this.delta[id[s]! + c] = id[table[s * width + c]!]!;
  }

  /** Index of the last byte of the first literal that starts at or after `from`; `to` when none does before it. */
  firstEnd(bytes: Uint8Array, from: number, to: number): number {
    const { delta, classOf, acceptFrom } = this;
    let s = 0;
    for (let i = from; i < to; i++) {
      s = delta[s + classOf[bytes[i]!]!]!;
      if (s >= acceptFrom) return i;
    }
    return to;
  }

  /** Calls `visit` with the literals (indices) ending at each position of `text` where any does. */
  eachEnd(text: string, visit: (literals: readonly number[]) => void): void {
    const { delta, classOf, acceptFrom, width } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = delta[s + (c < 128 ? classOf[c]! : 0)]!;
      if (s >= acceptFrom) visit(this.ending[(s - acceptFrom) / width]!);
    }
  }
}
