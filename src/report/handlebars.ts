import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../paths.js';

/** The one place that touches handlebars. `{{ }}` escapes; templates never use the raw `{{{ }}}` form. */
const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
hb.registerHelper('statusClass', (s: string) => `status-${String(s).replace(/[^a-z-]/g, '')}`);

const cache = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, data: unknown): string {
  let template = cache.get(name);
  if (!template) {
    const file = path.join(PACKAGE_ROOT, 'src', 'report', 'templates', `${name}.hbs`);
    template = hb.compile(readFileSync(file, 'utf8'), { strict: false, noEscape: false });
    cache.set(name, template);
  }
  return template(data);
}
