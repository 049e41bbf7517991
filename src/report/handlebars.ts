import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../paths.js';
import { statusLabel } from './status-label.js';

/** The one place that touches handlebars. `{{ }}` escapes; templates never use the raw `{{{ }}}` form. */
const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('statusClass', (s: string) => `status-${String(s).replace(/[^a-z-]/g, '')}`);
hb.registerHelper('statusLabel', (s: string) => statusLabel(String(s)));

hb.registerHelper('slug', (s: string) => String(s).replace(/[^A-Za-z0-9._-]/g, '_'));
hb.registerHelper('secs', (n: number) => (typeof n === 'number' ? n.toFixed(1) : String(n)));
hb.registerHelper('inc', (n: number) => n + 1);
hb.registerHelper('day', (iso: string) => String(iso).slice(0, 16).replace('T', ' '));

const TEMPLATES = path.join(PACKAGE_ROOT, 'src', 'report', 'templates');
const cache = new Map<string, Handlebars.TemplateDelegate>();
let partialsLoaded = false;

/** Templates named `_x.hbs` are partials, used as `{{> x}}`. */
function loadPartials(): void {
  for (const file of readdirSync(TEMPLATES).filter((f) => f.startsWith('_') && f.endsWith('.hbs'))) {
    hb.registerPartial(file.slice(1, -4), readFileSync(path.join(TEMPLATES, file), 'utf8'));
  }
  partialsLoaded = true;
}

export function renderTemplate(name: string, data: unknown): string {
  if (!partialsLoaded) loadPartials();
  let template = cache.get(name);
  if (!template) {
    const file = path.join(TEMPLATES, `${name}.hbs`);
    template = hb.compile(readFileSync(file, 'utf8'), { strict: false, noEscape: false });
    cache.set(name, template);
  }
  return template(data);
}
