import junitModule, { type Builder } from 'junit-report-builder';
import type { Reporter } from './reporter.js';
import type { ReportView } from './view.js';
import { statusLabel } from './status-label.js';

/** XML 1.0 cannot carry most control characters, and probe output is full of them. */
const xmlSafe = (text: string) => text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/gu, '\uFFFD');

// The package is CommonJS whose typings describe its default export one level too deep.
const junit = junitModule as unknown as Builder;

function render(view: ReportView): string {
  const builder = junit.newBuilder();
  const bySuite = new Map<string, typeof view.outcomes>();
  for (const v of view.outcomes) bySuite.set(v.outcome.stack, [...(bySuite.get(v.outcome.stack) ?? []), v]);
  for (const [stack, outcomes] of bySuite) {
    const suite = builder.testSuite().name(`ttprobe.${stack}`).timestamp(view.record.startedAt);
    for (const v of outcomes) {
      const o = v.outcome;
      const tc = suite.testCase().className(`ttprobe.${stack}.${o.workload}`).name(o.probe).time(o.durationS);
      const message = xmlSafe(`${o.category ?? o.status}: ${o.reason}`);
      // A compile on a mock system passes as a test case (nothing failed) but says what it is: CI
      // dashboards count it as passed, the property and the output keep it apart from a computed pass.
      if (o.status === 'compiled') tc.property('ttprobe.status', 'compiled').standardOutput(xmlSafe(`${statusLabel(o.status)}: ${o.reason}`));
      if (o.status === 'skip') tc.skipped();
      else if (o.status !== 'pass' && o.status !== 'compiled') {
        tc.failure(message, o.category ?? o.status);
        tc.stacktrace(xmlSafe([`status: ${o.status}`, `layer: ${o.layer ?? 'n/a'}`, `rule: ${o.ruleId ?? o.signature ?? 'none'}`, ...o.evidence].join('\n')));
      }
      if (o.status === 'skip') tc.standardOutput(message);
    }
  }
  return builder.build();
}

export const junitReporter: Reporter = { format: 'junit', fileName: 'junit.xml', render };
