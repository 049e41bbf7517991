import type { Change } from '../schemas/comparison.js';
import { flakeNote, type KnownFlakeSet } from './known-flakes.js';

/**
 * A known flake's change of state is news about the flake, not about the stack: every change of it
 * but a new unknown signature and a timing change is reported as `flaky`, saying what it would
 * otherwise have been, so no --fail-on of the default kinds fails the nightly on it.
 */
export function markKnownFlakes(changes: Change[], flakes: Pick<KnownFlakeSet, 'match'>): void {
  for (const c of changes) {
    if (c.kind === 'new-unknown' || c.kind === 'timing' || c.kind === 'flaky' || c.kind === 'tier-missing') continue;
    const flake = flakes.match(c.probe, c.tier);
    if (!flake) continue;
    c.detail = `${flakeNote(flake)}; was a ${c.kind}${c.detail ? `; ${c.detail}` : ''}`;
    c.kind = 'flaky';
  }
}
