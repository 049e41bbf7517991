/**
 * A plain-text table for a terminal or a CI log: a header row, every column as wide as its widest
 * cell plus two spaces, so columns line up whatever the values are. The last column is not padded.
 */
export function textTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd();
  return [line(headers), ...rows.map(line)];
}
