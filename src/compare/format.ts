import type { ChangeKind, Comparison } from './compare.js';
import { mdCell } from '../report/markdown.js';

const TITLES: Record<ChangeKind, string> = {
  regression: 'Regressions',
  'new-unknown': 'New unknown failures',
  fix: 'Fixes',
  'changed-reason': 'Changed reason (still failing)',
  flaky: 'Flaky',
  'newly-skipped': 'Newly skipped',
  'new-probe': 'New probes',
  'removed-probe': 'Removed probes',
  missing: 'Missing on one side (not regressions)',
  timing: 'Timing changes',
};

function groups(c: Comparison) {
  return (Object.keys(TITLES) as ChangeKind[])
    .map((kind) => ({ kind, title: TITLES[kind], items: c.changes.filter((x) => x.kind === kind) }))
    .filter((g) => g.items.length);
}

export function formatText(c: Comparison): string {
  const lines = [`compare (${c.mode}): ${c.base.join(', ')} -> ${c.new.join(', ')}`];
  lines.push(c.environment.length ? 'Environment changes:' : 'Environment: unchanged');
  for (const e of c.environment) lines.push(`  ${e.field}: ${e.base} -> ${e.new}`);
  for (const g of groups(c)) {
    lines.push(`${g.title} (${g.items.length}):`);
    for (const x of g.items) lines.push(`  ${x.probe} [${x.tier}]: ${x.transition}${x.detail ? `  (${x.detail})` : ''}`);
  }
  if (!c.changes.length) lines.push('No changes.');
  return lines.join('\n') + '\n';
}

export function formatMarkdown(c: Comparison): string {
  const lines = [`## ttprobe compare (${c.mode})`, '', `Base: ${c.base.map(mdCell).join(', ')}; new: ${c.new.map(mdCell).join(', ')}`, ''];
  if (c.environment.length) {
    lines.push('| Environment | Base | New |', '|---|---|---|', ...c.environment.map((e) => `| ${e.field} | ${mdCell(e.base)} | ${mdCell(e.new)} |`), '');
  }
  for (const g of groups(c)) {
    lines.push(`### ${g.title} (${g.items.length})`, '', '| Probe | Tier | Transition |', '|---|---|---|');
    for (const x of g.items) lines.push(`| ${mdCell(x.probe)} | ${mdCell(x.tier)} | ${mdCell(x.transition)} |`);
    lines.push('');
  }
  if (!c.changes.length) lines.push('No changes.');
  return lines.join('\n') + '\n';
}
