import type { Stage } from '../schemas/stage.js';
import type { Verdict } from '../schemas/outcome.js';

/**
 * A mock system computes nothing (its outputs are zeros or garbage), so no comparison made on one
 * says anything about numerics: a probe that compared anyway broke the protocol, and that is all its
 * failure says. Failures before execution keep their category and stage: the compiler there is real.
 */
export function onMock(verdict: Verdict, lastStage: Stage | null): Verdict {
  const compared = verdict.category === 'numerical-mismatch' || (verdict.status === 'fail' && lastStage === 'compare');
  if (!compared) return verdict;
  return {
    ...verdict,
    status: 'fail',
    category: 'unknown',
    layer: 'harness',
    ruleId: null,
    reason: `compared outputs on a mock system, which computes nothing: not a numerical verdict (under TTPROBE_MOCK a probe stops after compiling; probes/PROTOCOL.md). The probe said: ${verdict.reason}`,
    details: { ...verdict.details, mock: 'compared outputs of a mock system' },
  };
}
