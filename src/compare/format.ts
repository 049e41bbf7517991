import type { Comparison, ImpactRow } from '../schemas/comparison.js';
import type { BrokenEnvironment } from '../schemas/broken-environment.js';
import { mdCell } from '../report/markdown.js';
import { KIND_ORDER, KIND_TITLES } from './kinds.js';

function groups(c: Comparison) {
  return KIND_ORDER.map((kind) => ({ kind, title: KIND_TITLES[kind], items: c.changes.filter((x) => x.kind === kind) })).filter((g) => g.items.length);
}

const impactName = (row: ImpactRow) => row.ruleId ?? row.signature ?? row.title;
const whereBlocked = (row: ImpactRow) => row.blocked.map((b) => `${b.workload} on ${b.tier} ${b.stack}`).join('; ');

export function brokenLine(b: BrokenEnvironment): string {
  return `${b.stack} [${b.tier}] in ${b.run}: all ${b.probes.length} probe(s) stopped by the environment (${b.causes.join('; ')}); it ran in ${b.reference}`;
}

export function formatText(c: Comparison): string {
  const lines = [`compare (${c.mode}): ${c.base.join(', ')} -> ${c.new.join(', ')}`];
  if (c.brokenEnvironment.length) {
    lines.push(`Broken environment (${c.brokenEnvironment.length}):`);
    for (const b of c.brokenEnvironment) lines.push(`  ${brokenLine(b)}`);
  }
  lines.push(c.environment.length ? 'Environment changes:' : 'Environment: unchanged');
  for (const e of c.environment) lines.push(`  ${e.field}: ${e.base} -> ${e.new}`);
  for (const g of groups(c)) {
    lines.push(`${g.title} (${g.items.length}):`);
    for (const x of g.items) lines.push(`  ${x.probe} [${x.tier}]: ${x.transition}${x.detail ? `  (${x.detail})` : ''}`);
  }
  if (c.impact.length) lines.push('What the changes block (most workloads x systems x stacks first):');
  for (const row of c.impact) lines.push(`  ${impactName(row)}${row.category ? ` (${row.category})` : ''}: blocks ${row.blocks}: ${whereBlocked(row)}`);
  if (!c.changes.length) lines.push('No changes.');
  return lines.join('\n') + '\n';
}

export function formatMarkdown(c: Comparison): string {
  const lines = [`## ttprobe compare (${c.mode})`, '', `Base: ${c.base.map(mdCell).join(', ')}; new: ${c.new.map(mdCell).join(', ')}`, ''];
  if (c.brokenEnvironment.length) {
    lines.push(`### Broken environment (${c.brokenEnvironment.length})`, '', '| Stack | Tier | Run | Probes | Causes | Ran in |', '|---|---|---|---|---|---|');
    for (const b of c.brokenEnvironment) {
      lines.push(`| ${mdCell(b.stack)} | ${mdCell(b.tier)} | ${mdCell(b.run)} | ${b.probes.length} | ${mdCell(b.causes.join('; '))} | ${mdCell(b.reference)} |`);
    }
    lines.push('');
  }
  if (c.environment.length) {
    lines.push('| Environment | Base | New |', '|---|---|---|', ...c.environment.map((e) => `| ${e.field} | ${mdCell(e.base)} | ${mdCell(e.new)} |`), '');
  }
  for (const g of groups(c)) {
    lines.push(`### ${g.title} (${g.items.length})`, '', '| Probe | Tier | Transition |', '|---|---|---|');
    for (const x of g.items) lines.push(`| ${mdCell(x.probe)} | ${mdCell(x.tier)} | ${mdCell(x.transition)} |`);
    lines.push('');
  }
  if (c.impact.length) {
    lines.push('### What the changes block', '', 'Failure reasons behind the changes for the worse, most workloads x systems x stacks blocked first.', '',
      '| Reason | Category | Blocks | Where |', '|---|---|---|---|');
    for (const row of c.impact) {
      lines.push(`| ${mdCell(impactName(row))} | ${mdCell(row.category ?? '')} | ${row.blocks} | ${mdCell(whereBlocked(row))} |`);
    }
    lines.push('');
  }
  if (!c.changes.length) lines.push('No changes.');
  return lines.join('\n') + '\n';
}

/** GitHub refuses a comment longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * Markdown that fits one GitHub comment: cut at a line boundary, with where to get all of it.
 * `fullCommand` is the command that prints the whole comparison.
 */
export function capForComment(md: string, fullCommand: string): string {
  if (md.length < COMMENT_LIMIT) return md;
  const note = `\n_The comparison was cut at ${'0'.repeat(6)} of ${md.length} characters to fit a GitHub comment; all of it: \`${fullCommand.replace(/`/g, "'")} > compare.txt\` (or \`--json\`)_\n`;
  const room = COMMENT_LIMIT - note.length - 1;
  const cut = md.lastIndexOf('\n', room) + 1;
  return md.slice(0, cut) + note.replace('0'.repeat(6), String(cut));
}
