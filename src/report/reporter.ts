import type { ReportView } from './view.js';

/** One output format. Pure: a view in, the file's text out; writing is the caller's job. */
export interface Reporter {
  format: string;
  fileName: string;
  render(view: ReportView): string;
}
