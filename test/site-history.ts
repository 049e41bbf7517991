// A synthetic multi-system history for the site tests: written as run.json files, no run needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outcome, record } from '../bench/synthetic-runs.js';

export type Rec = ReturnType<typeof record>;
export type Out = ReturnType<typeof outcome>;

/** `dir` is the folder name; a run id need not be a safe one. */
export function writeRun(runsDir: string, r: Rec, dir = r.runId): string {
  mkdirSync(path.join(runsDir, dir), { recursive: true });
  writeFileSync(path.join(runsDir, dir, 'run.json'), JSON.stringify(r));
  return path.join(runsDir, dir);
}

export const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
/** Breaks out of a CDATA section that escapes only its first terminator, and carries a control character XML forbids. */
export const XML_BREAKER = `a]]>b]]><evil/>\u0001${XSS}`;

export const legalize = {
  status: 'fail', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'stablehlo-reduce-window-legalize', details: { op: 'stablehlo.reduce_window' },
  evidence: ["loc(\"reduce-window.14\"): error: failed to legalize operation 'stablehlo.reduce_window'"],
  reason: 'StableHLO reduce_window cannot be legalized to TTIR: stablehlo.reduce_window',
  census: { 'stablehlo.reduce_window': 2, 'stablehlo.convolution': 2 },
};

/** Relative to now, so staleness is what the test says it is. */
export const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
