/** Fisher's exact test on a 2x2 table, two-sided: how surprising a difference in pass rates is. */

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}

/** Probability of a table with first cell `a`, given the margins. */
function hypergeometric(a: number, row1: number, col1: number, n: number): number {
  const b = row1 - a;
  const c = col1 - a;
  const d = n - row1 - c;
  return Math.exp(
    logFactorial(row1) + logFactorial(n - row1) + logFactorial(col1) + logFactorial(n - col1) -
      logFactorial(n) - logFactorial(a) - logFactorial(b) - logFactorial(c) - logFactorial(d),
  );
}

/**
 * Two-sided p-value for [[a, b], [c, d]] (e.g. base passes/fails vs new passes/fails): the sum of the
 * probabilities of every table with the same margins that is no more likely than the observed one.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const row1 = a + b;
  const col1 = a + c;
  const observed = hypergeometric(a, row1, col1, n);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
    const px = hypergeometric(x, row1, col1, n);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}
