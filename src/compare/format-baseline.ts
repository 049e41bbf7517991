import type { BaselineSummary } from '../schemas/run-record.js';
import { brokenLine } from './format.js';

const listed = (n: number, what: string, probes: string[]) => `${n} ${what}${probes.length ? ` (${probes.join(', ')})` : ''}`;

/** What `run --baseline` prints: the counts on one line, then each surprise and each broken stack. */
export function formatBaselineSummary(b: BaselineSummary): string {
  const lines = [
    `against baseline ${b.source}: ${b.expectedFailures.length} expected failure(s), ` +
      `${listed(b.unexpectedFailures.length, 'unexpected failure(s)', b.unexpectedFailures)}, ` +
      `${listed(b.unexpectedPasses.length, 'unexpected pass(es)', b.unexpectedPasses)}, ` +
      `${listed(b.unexpectedSkips.length, 'unexpected skip(s)', b.unexpectedSkips)}` +
      `${b.flaky.length ? `, flaky: ${b.flaky.join(', ')}` : ''}`,
    ...b.mismatches.map((m) => `  ${m.probe}: expected ${m.expected}, got ${m.actual}`),
    ...b.brokenEnvironment.map((e) => `broken environment: ${brokenLine(e)}`),
  ];
  return lines.join('\n') + '\n';
}
