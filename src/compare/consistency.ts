import type { Outcome } from '../schemas/outcome.js';

type Verdictish = Pick<Outcome, 'status' | 'category' | 'ruleId' | 'signature'>;

/** What must match for two outcomes to be "the same": status, category, and rule (or signature). */
export const identityOf = (o: Verdictish) => `${o.status}|${o.category ?? ''}|${o.ruleId ?? o.signature ?? ''}`;

/** Every distinct outcome one probe had in one run: its retried attempts and its final verdict. */
export function identitiesOf(o: Outcome): Set<string> {
  return new Set([...o.attempts.map(identityOf), identityOf(o)]);
}

/**
 * A retried probe is flaky only when its attempts disagree (failed, then passed; or crashed, then
 * failed). Retried and failing the same way every time is a consistent failure, not a flake.
 */
export const attemptsDisagree = (o: Outcome) => identitiesOf(o).size > 1;
