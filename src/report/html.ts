import type { Reporter } from './reporter.js';
import { renderTemplate } from './handlebars.js';

export const htmlReporter: Reporter = {
  format: 'html',
  fileName: 'index.html',
  render: (view) => renderTemplate('report', view),
};
