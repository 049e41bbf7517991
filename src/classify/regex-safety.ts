import ret, { types } from 'ret';

interface Node {
  type: number;
  max?: number;
  value?: Node | number;
  stack?: Node[];
  options?: Node[][];
}

/** Star height counting only unbounded or many-times repetitions: `(a+)?` is fine, `(a+)+` is not. */
function walk(node: Node, height: number): boolean {
  if (node.type === types.REPETITION) {
    const repeats = (node.max ?? Infinity) > 1;
    if (repeats && height >= 1) return false;
    return walk(node.value as Node, repeats ? height + 1 : height);
  }
  for (const branch of node.options ?? []) for (const child of branch) if (!walk(child, height)) return false;
  for (const child of node.stack ?? []) if (!walk(child, height)) return false;
  if (node.type === types.GROUP && node.value && typeof node.value === 'object') return walk(node.value, height);
  return true;
}

/**
 * False for patterns with a repetition inside a repetition, the shape behind catastrophic
 * backtracking on a backtracking engine such as V8's.
 */
export function isSafeRegex(source: string): boolean {
  try {
    // ret is CommonJS; its module object is the parser function.
    return walk((ret as unknown as (s: string) => Node)(source), 0);
  } catch {
    return false;
  }
}
