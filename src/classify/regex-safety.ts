import ret, { types } from 'ret';

interface Node {
  type: number;
  min?: number;
  max?: number | null;
  from?: number;
  to?: number;
  not?: boolean;
  set?: Node[];
  followedBy?: boolean;
  notFollowedBy?: boolean;
  value?: Node | number;
  stack?: Node[];
  options?: Node[][];
}

// V8 backtracks. A pattern backtracks exponentially when, inside a repetition, some text can be
// matched in more than one way: a repetition inside a repetition (`(a+)+`), alternatives that can
// start with the same character (`(\w|\d)*`, `(a|aa)*`), or an optional part that can start like
// what follows it (`(a?a)*`). These checks refuse all three shapes; they are conservative (they look
// at first characters only, so `(ab|ac)*` is refused too: write `(a(b|c))*`).

const NESTED = 'nested quantifiers can backtrack catastrophically; rewrite without them';

/** A set of UTF-16 code units, as a membership test. */
type Chars = (c: number) => boolean;
const NONE: Chars = () => false;
const ANY: Chars = () => true;
const union = (a: Chars, b: Chars): Chars => (a === NONE ? b : b === NONE ? a : (c) => a(c) || b(c));

function charsOf(node: Node): Chars {
  switch (node.type) {
    case types.CHAR:
      return (c) => c === node.value;
    case types.RANGE:
      return (c) => c >= node.from! && c <= node.to!;
    case types.SET: {
      const members = (node.set ?? []).map(charsOf).reduce(union, NONE);
      return node.not ? (c) => !members(c) : members;
    }
    default:
      return ANY;
  }
}

interface First {
  chars: Chars;
  /** Can match the empty string, so what follows it can also come first. */
  nullable: boolean;
}

function firstOfSequence(seq: Node[]): First {
  let chars = NONE;
  for (const node of seq) {
    const f = firstOf(node);
    chars = union(chars, f.chars);
    if (!f.nullable) return { chars, nullable: false };
  }
  return { chars, nullable: true };
}

function firstOf(node: Node): First {
  switch (node.type) {
    case types.CHAR:
    case types.RANGE:
    case types.SET:
      return { chars: charsOf(node), nullable: false };
    case types.POSITION:
      return { chars: NONE, nullable: true };
    case types.REPETITION: {
      const f = firstOf(node.value as Node);
      return { chars: f.chars, nullable: f.nullable || node.min === 0 };
    }
    case types.GROUP:
    case types.ROOT: {
      if (node.followedBy || node.notFollowedBy) return { chars: NONE, nullable: true };
      if (node.options) {
        const branches = node.options.map(firstOfSequence);
        return { chars: branches.map((b) => b.chars).reduce(union, NONE), nullable: branches.some((b) => b.nullable) };
      }
      return firstOfSequence(node.stack ?? []);
    }
    default:
      // A back-reference can match anything, or nothing.
      return { chars: ANY, nullable: true };
  }
}

let caseOf: { lower: Uint16Array; upper: Uint16Array } | null = null;

/** Each code unit's lower and upper case (first code unit), built once: shared() asks of every one, often. */
function caseTables(): { lower: Uint16Array; upper: Uint16Array } {
  if (!caseOf) {
    caseOf = { lower: new Uint16Array(0x10000), upper: new Uint16Array(0x10000) };
    for (let c = 0; c <= 0xffff; c++) {
      caseOf.lower[c] = String.fromCharCode(c).toLowerCase().charCodeAt(0);
      caseOf.upper[c] = String.fromCharCode(c).toUpperCase().charCodeAt(0);
    }
  }
  return caseOf;
}

/** A code unit both sets hold, if any (the whole BMP is cheap to scan for the few choices there are). */
function shared(a: Chars, b: Chars, ignoreCase: boolean): number | null {
  const { lower, upper } = ignoreCase ? caseTables() : { lower: null, upper: null };
  const fold = (s: Chars): Chars => (lower && upper ? (c) => s(c) || s(lower[c]!) || s(upper[c]!) : s);
  const fa = fold(a);
  const fb = fold(b);
  for (let c = 0; c <= 0xffff; c++) if (fa(c) && fb(c)) return c;
  return null;
}

const shown = (c: number) => JSON.stringify(String.fromCharCode(c));

class HazardFinder {
  constructor(private readonly ignoreCase: boolean) {}

  /** `follow`: what can come right after the sequence inside the innermost repetition (null outside any). */
  sequence(seq: Node[], height: number, follow: Chars | null): string | null {
    for (let k = 0; k < seq.length; k++) {
      const node = seq[k]!;
      let after: Chars | null = null;
      if (height >= 1) {
        const rest = firstOfSequence(seq.slice(k + 1));
        after = rest.nullable ? union(rest.chars, follow ?? NONE) : rest.chars;
      }
      const found = this.node(node, height, after);
      if (found) return found;
    }
    return null;
  }

  node(node: Node, height: number, follow: Chars | null): string | null {
    if (node.type === types.REPETITION) {
      const body = node.value as Node;
      const repeats = (node.max ?? Infinity) > 1;
      if (repeats && height >= 1) return NESTED;
      if (!repeats && height >= 1 && follow && node.min === 0) {
        const c = shared(firstOf(body).chars, follow, this.ignoreCase);
        if (c !== null) {
          return `an optional part under a repetition can start like what follows it (both can match ${shown(c)}), which can backtrack catastrophically; rewrite so each character has one way to match`;
        }
      }
      // Inside a repetition, the body is followed by the body again.
      return this.node(body, repeats ? height + 1 : height, repeats ? firstOf(body).chars : follow);
    }
    if (node.type !== types.GROUP && node.type !== types.ROOT) return null;
    if (node.options) {
      if (height >= 1) {
        const firsts = node.options.map((branch) => firstOfSequence(branch).chars);
        for (let i = 0; i < firsts.length; i++) {
          for (let j = i + 1; j < firsts.length; j++) {
            const c = shared(firsts[i]!, firsts[j]!, this.ignoreCase);
            if (c !== null) {
              return `alternatives ${i + 1} and ${j + 1} of a group under a repetition can both start with ${shown(c)}, which can backtrack catastrophically; make them start differently (e.g. factor out a common start)`;
            }
          }
        }
      }
      for (const branch of node.options) {
        const found = this.sequence(branch, height, follow);
        if (found) return found;
      }
      return null;
    }
    return this.sequence(node.stack ?? [], height, follow);
  }
}

// Without nesting, repetitions in sequence still multiply: when two of them can match the same text
// and whatever lies between them can too (`\w*\w*`, `.*a.*`), a line of n such characters splits
// between them in ~n ways per repetition, and `\w*\w*\w*!` took 75 s on one 1,000-character line.
// Each pair of repetitions along every path through the pattern is checked; paths only branch at
// groups holding a repetition, so patterns without several repetitions cost nothing.

const MAX_PATHS = 512;
const isRepeat = (n: Node) => n.type === types.REPETITION && (n.max ?? Infinity) > 1;
const isLookaround = (n: Node) => n.type === types.GROUP && Boolean(n.followedBy || n.notFollowedBy);
const ZERO_WIDTH: Node = { type: types.POSITION };

function holdsRepeat(node: Node): boolean {
  if (isRepeat(node)) return true;
  if (node.type === types.REPETITION) return holdsRepeat(node.value as Node);
  if (node.type !== types.GROUP && node.type !== types.ROOT) return false;
  return (node.options ?? [node.stack ?? []]).some((seq) => seq.some(holdsRepeat));
}

/** Every character `node` can consume anywhere in its match. */
function allChars(node: Node): Chars {
  if (node.type === types.REPETITION) return allChars(node.value as Node);
  if (node.type === types.GROUP || node.type === types.ROOT) {
    if (isLookaround(node)) return NONE;
    return (node.options ?? [node.stack ?? []]).flat().map(allChars).reduce(union, NONE);
  }
  if (node.type === types.POSITION) return NONE;
  return charsOf(node);
}

/** The flat sequences a match can follow, lookarounds apart (checked on their own). */
function pathsOf(seq: Node[], lookarounds: Node[]): Node[][] {
  let paths: Node[][] = [[]];
  for (const node of seq) {
    let ways: Node[][];
    if (isLookaround(node)) {
      lookarounds.push(node);
      ways = [[ZERO_WIDTH]];
    } else if (!holdsRepeat(node) || isRepeat(node)) {
      ways = [[node]];
    } else if (node.type === types.REPETITION) {
      const body = pathsOf([node.value as Node], lookarounds);
      ways = node.min === 0 ? [[], ...body] : body;
    } else {
      ways = (node.options ?? [node.stack ?? []]).flatMap((branch) => pathsOf(branch, lookarounds));
    }
    paths = paths.flatMap((p) => ways.map((w) => [...p, ...w]));
    if (paths.length > MAX_PATHS) throw new Error('too many alternatives holding repetitions to check');
  }
  return paths;
}

class PowerFinder {
  constructor(private readonly ignoreCase: boolean) {}

  /** Can `node` match some text (possibly empty) made only of characters in `alphabet`? */
  passes(node: Node, alphabet: Chars): boolean {
    switch (node.type) {
      case types.CHAR:
      case types.RANGE:
      case types.SET:
        return shared(charsOf(node), alphabet, this.ignoreCase) !== null;
      case types.REPETITION:
        return node.min === 0 || this.passes(node.value as Node, alphabet);
      case types.GROUP:
      case types.ROOT:
        if (isLookaround(node)) return true;
        return (node.options ?? [node.stack ?? []]).some((seq) => seq.every((n) => this.passes(n, alphabet)));
      default:
        return true;
    }
  }

  path(path: Node[]): string | null {
    for (let i = 0; i < path.length; i++) {
      if (!isRepeat(path[i]!)) continue;
      const a = allChars(path[i]!);
      for (let j = i + 1; j < path.length; j++) {
        if (!isRepeat(path[j]!)) {
          if (!this.passes(path[j]!, a)) break;
          continue;
        }
        const b = allChars(path[j]!);
        const both: Chars = (c) => a(c) && b(c);
        const c = shared(a, b, this.ignoreCase);
        if (c !== null && path.slice(i + 1, j).every((n) => this.passes(n, both))) {
          return `two repetitions in sequence can both match ${shown(c)} with nothing between them that tells them apart, so the work on a line grows as a power of its length; make them exclusive (e.g. \`[^:]*:\` instead of \`.*:\`)`;
        }
        if (!this.passes(path[j]!, a)) break;
      }
    }
    return null;
  }

  pattern(tree: Node): string | null {
    const pending = [tree];
    while (pending.length) {
      const lookarounds: Node[] = [];
      const node = pending.pop()!;
      for (const p of pathsOf(isLookaround(node) ? [{ ...node, followedBy: false, notFollowedBy: false }] : [node], lookarounds)) {
        const found = this.path(p);
        if (found) return found;
      }
      pending.push(...lookarounds);
    }
    return null;
  }
}

/**
 * Why `source` could backtrack catastrophically on V8's engine, or null when it cannot in the shapes
 * checked. A pattern that does not parse is refused too.
 */
export function regexHazard(source: string, flags = ''): string | null {
  let tree: Node;
  try {
    // ret is CommonJS; its module object is the parser function.
    tree = (ret as unknown as (s: string) => Node)(source);
  } catch (err) {
    return `cannot be checked for catastrophic backtracking (${(err as Error).message}); rewrite it in plainer syntax`;
  }
  const ignoreCase = flags.includes('i');
  const nested = new HazardFinder(ignoreCase).node(tree, 0, null);
  if (nested) return nested;
  try {
    return new PowerFinder(ignoreCase).pattern(tree);
  } catch (err) {
    return `cannot be checked for polynomial backtracking (${(err as Error).message}); split it into several patterns`;
  }
}

/** False for patterns with a shape behind catastrophic backtracking (see regexHazard). */
export function isSafeRegex(source: string, flags = ''): boolean {
  return regexHazard(source, flags) === null;
}
