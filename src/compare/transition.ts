import type { Category, Outcome, Status } from '../schemas/outcome.js';
import type { Stage } from '../schemas/stage.js';
import type { ProbeState, StateDetail, TransitionKind } from '../schemas/comparison.js';

/** One side of a transition: an outcome, or none (with whether that run planned the probe). */
export interface Side {
  state: ProbeState;
  category?: Category | null;
  ruleId?: string | null;
  signature?: string | null;
  /** The stage a failing outcome stopped at, when the probe wrote its stages. */
  failedAt?: Stage | null;
  /** For `missing`: the run planned the probe and has no outcome for it (it was interrupted). */
  planned?: boolean;
}

const FAILING: ReadonlySet<ProbeState> = new Set<Status>(['cpu-fallback', 'fail', 'crash', 'timeout']);
export const isFailingState = (s: ProbeState) => FAILING.has(s);
/** The probe ran to a verdict about the stack: it passed (or compiled, on a mock) or failed. */
const ran = (s: ProbeState) => s === 'pass' || s === 'compiled' || FAILING.has(s);

export function sideOf(o: Outcome | undefined, planned: boolean): Side {
  if (!o) return { state: 'missing', planned };
  return { state: o.status, category: o.category, ruleId: o.ruleId, signature: o.signature, failedAt: o.stages?.failedAt ?? null, planned: true };
}

export function detailOf(s: Side): StateDetail {
  return { state: s.state, category: s.category ?? null, ruleId: s.ruleId ?? s.signature ?? null, stage: s.failedAt ?? null };
}

/** Same failing status, same reason: category plus rule id (or signature when no rule matched). */
const reasonOf = (s: Side) => `${s.category ?? ''}|${s.ruleId ?? s.signature ?? ''}`;

/**
 * The kind of a change of state, or null when nothing changed. Pure and total over every pair of
 * states; the table in README's "Nightly use" and test/transitions.test.ts spell it out.
 */
export function transitionOf(before: Side, after: Side): TransitionKind | null {
  const b = before.state;
  const a = after.state;
  if (a === 'missing' && !after.planned) return b === 'missing' ? null : 'removed-probe';
  if (a === 'missing' || a === 'skip') {
    if (ran(b)) return 'lost-coverage';
    return b === a ? null : 'still-not-run';
  }
  // `compiled` is the success of a mock system, as `pass` is of hardware: fail -> compiled is a fix,
  // compiled -> fail a regression. pass <-> compiled would pair a mock with hardware, which compare
  // never does (they are different tiers); should forged records pair them, it is a status change.
  if (a === 'pass' || a === 'compiled') {
    if (b === a) return null;
    if (FAILING.has(b)) return 'fix';
    return b === 'pass' || b === 'compiled' ? 'status-change' : 'new-coverage';
  }
  // `a` is failing from here on.
  if (b === 'pass' || b === 'compiled') return 'regression';
  if (b === 'skip' || b === 'missing') return 'new-failure';
  if (b !== a) return 'status-change';
  if (before.failedAt && after.failedAt && before.failedAt !== after.failedAt) return 'stage-change';
  return reasonOf(before) === reasonOf(after) ? null : 'changed-reason';
}
