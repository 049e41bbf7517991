import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outcome, record } from '../bench/synthetic-runs.js';
import { RunRecord } from '../src/schemas/run-record.js';

export { outcome, record };
export type SyntheticRecord = ReturnType<typeof record>;

/** Writes `r` as `dir/<runId>/run.json` after checking it is a record ttprobe itself would accept. */
export function writeRun(dir: string, r: SyntheticRecord): string {
  RunRecord.parse(r);
  const runDir = path.join(dir, r.runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(r));
  return runDir;
}

/** Outcome fields for each status, with a category and rule where a real verdict would have one. */
export const VERDICTS = {
  pass: { status: 'pass' },
  'cpu-fallback': { status: 'cpu-fallback', category: null, reason: 'computed on the CPU, not on TTDevice' },
  fail: { status: 'fail', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'stablehlo-reduce-window-legalize', details: { op: 'stablehlo.reduce_window' } },
  crash: { status: 'crash', category: 'compiler-crash', layer: 'tt-mlir', ruleId: 'ttir-low-operand-constant' },
  timeout: { status: 'timeout', category: 'timeout', ruleId: null },
  skip: { status: 'skip', category: 'missing-dependency', layer: 'python-env', reason: 'missing: dalle_mini', details: { missing: 'dalle_mini' } },
} as const;
