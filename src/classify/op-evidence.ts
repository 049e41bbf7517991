import type { Outcome, OpVerdict } from '../schemas/outcome.js';

/** What op-coverage proved about one compiler on one system: ops it compiled, and ops it failed. */
export interface OpEvidence {
  /** e.g. "jax-tt-plugin 0.1.3" */
  compiler: string;
  /** e.g. "P150 (mock)" */
  system: string;
  working: Set<string>;
  failing: Map<string, OpVerdict>;
}

const GOOD = new Set(['compiled', 'pass']);
const PLUGINS = ['jax-tt-plugin', 'pjrt-plugin-tt'];

function compilerOf(o: Outcome): string {
  const versions = o.result?.versions ?? {};
  const plugin = PLUGINS.find((p) => versions[p]);
  return plugin ? `${plugin} ${versions[plugin]}` : 'an unknown TT-XLA plugin version';
}

/**
 * The op evidence of a TT run's op-coverage outcome. A family that compiled proves every op of its
 * lowered program; a failing family convicts the op its failure names, else its own op unless another
 * family compiled that op.
 */
export function opEvidenceOf(outcomes: Outcome[], system: string): OpEvidence | null {
  const coverage = outcomes.find((o) => o.stack === 'tt-xla' && o.target === 'tt' && o.opVerdicts.length > 0);
  if (!coverage) return null;
  const working = new Set<string>();
  for (const v of coverage.opVerdicts) if (GOOD.has(v.status)) for (const op of [v.op, ...v.opsSeen]) working.add(op);
  const failing = new Map<string, OpVerdict>();
  for (const v of coverage.opVerdicts) {
    if (GOOD.has(v.status) || v.status === 'skip') continue;
    const op = v.failingOp ?? (working.has(v.op) ? null : v.op);
    if (op && !failing.has(op)) failing.set(op, v);
  }
  for (const op of failing.keys()) working.delete(op);
  return { compiler: compilerOf(coverage), system, working, failing };
}

/**
 * The evidence of the latest earlier run (oldest first in `earlier`) made with the same TT-XLA plugin
 * version, for a run that had no op-coverage of its own. A run of another plugin version proves
 * nothing about this one.
 */
export function latestOpEvidence(earlier: Array<{ fingerprint: { plugin: string | null }; outcomes: Outcome[] }>, plugin: string | null, system: string): OpEvidence | null {
  if (!plugin) return null;
  for (const run of [...earlier].reverse()) {
    if (run.fingerprint.plugin !== plugin) continue;
    const evidence = opEvidenceOf(run.outcomes, system);
    if (evidence) return evidence;
  }
  return null;
}
