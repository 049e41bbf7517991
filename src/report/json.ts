import type { Reporter } from './reporter.js';
import { RunRecord } from '../schemas/run-record.js';

/** The run record itself, validated: the JSON report is what other tools consume. */
export const jsonReporter: Reporter = {
  format: 'json',
  fileName: 'report.json',
  render: (view) => JSON.stringify(RunRecord.parse(view.record), null, 2) + '\n',
};
