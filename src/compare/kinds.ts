import type { ChangeKind } from '../schemas/comparison.js';

/** Section titles, in report order: what breaks a nightly first. Every kind must have one. */
export const KIND_TITLES: Record<ChangeKind, string> = {
  regression: 'Regressions',
  'new-failure': 'New failures',
  'lost-coverage': 'Lost coverage',
  'status-change': 'Status changes',
  'stage-change': 'Failing at another stage',
  'changed-reason': 'Changed reason',
  'new-unknown': 'New unknown failures',
  fix: 'Fixes',
  'new-coverage': 'New coverage',
  flaky: 'Flaky',
  'still-not-run': 'Still not run',
  'removed-probe': 'Removed probes',
  'tier-missing': 'Tier missing on one side, not regressions',
  timing: 'Timing changes',
};

export const KIND_ORDER = Object.keys(KIND_TITLES) as ChangeKind[];
