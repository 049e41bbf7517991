import { renderTemplate } from '../report/handlebars.js';
import { slug } from './naming.js';
import type { SiteModel } from './site-model.js';

/**
 * Every file of the site, as [path inside the site, content]. Each HTML page gets `site` (when it
 * was built, each system's latest run) for its freshness line, and `root`, the way back to the
 * site's root from the page's folder.
 */
export function renderSite(model: SiteModel): Array<[string, string]> {
  const site = { generatedAt: model.generatedAt, systems: model.systems, staleAfterHours: model.staleAfterHours };
  const page = (template: string, data: object, root = '../') => renderTemplate(template, { ...data, site, root });
  const files: Array<[string, string]> = [['index.html', page('site-index', model, '')]];
  if (model.opCoverage) files.push(['op-coverage.html', page('site-op-coverage', model.opCoverage, '')]);
  for (const p of model.probes) files.push([`probes/${slug(p.id)}.html`, page('site-probe', p)]);
  for (const o of model.ops) files.push([`ops/${slug(o.op)}.html`, page('site-op', o)]);
  for (const s of model.signatures) files.push([`signatures/${slug(s.signature)}.html`, page('site-signature', s)]);
  for (const r of model.releasePages) files.push([r.file, page('site-release', r)]);
  files.push(['status.json', JSON.stringify(model.status.status, null, 2) + '\n']);
  for (const b of model.status.badges) files.push([b.file, JSON.stringify(b.badge) + '\n']);
  files.push(['feed.xml', renderTemplate('site-feed', model.feed)]);
  return files;
}
