import type { Comparison, ImpactRow } from '../schemas/comparison.js';
import type { BrokenEnvironment } from '../schemas/broken-environment.js';
import { mdCell } from '../report/markdown.js';
import type { Change } from '../schemas/comparison.js';
import { KIND_ORDER, KIND_TITLES } from './kinds.js';
import { fieldLabel } from './labels.js';

/** After an environment change, "no changes" would read as a contradiction: it is the probes that did not change. */
const NOTHING_CHANGED = 'No probe changed.';
/** How many probe names a grouped line lists before "...". */
const NAMES_SHOWN = 5;

/**
 * The lines of one kind's section: one per change, except tier-missing, one per tier and side (a run
 * against a folder of another tier would otherwise list every probe).
 */
function rows(kind: Change['kind'], items: Change[]): Array<{ probe: string; tier: string; text: string; links: string[] }> {
  if (kind !== 'tier-missing') return items.map((x) => ({ probe: x.probe, tier: x.tier, text: `${x.transition}${x.detail ? `  (${x.detail})` : ''}`, links: x.links ?? [] }));
  const byTier = new Map<string, Change[]>();
  for (const x of items) byTier.set(`${x.tier}\u0000${x.detail ?? ''}`, [...(byTier.get(`${x.tier}\u0000${x.detail ?? ''}`) ?? []), x]);
  return [...byTier.values()].map((group) => {
    const names = group.map((x) => x.probe).sort();
    const shown = names.slice(0, NAMES_SHOWN).join(', ') + (names.length > NAMES_SHOWN ? ', ...' : '');
    return { probe: `${names.length} probe(s)`, tier: group[0]!.tier, text: `${group[0]!.detail ?? 'no run of this tier on one side'}: ${names.length} probe(s) (${shown})`, links: [] };
  });
}

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
  for (const e of c.environment) lines.push(`  ${fieldLabel(e.field)}: ${e.base} -> ${e.new}`);
  for (const g of groups(c)) {
    lines.push(`${g.title} (${g.items.length}):`);
    for (const x of rows(g.kind, g.items)) {
      lines.push(g.kind === 'tier-missing' ? `  [${x.tier}] ${x.text}` : `  ${x.probe} [${x.tier}]: ${x.text}`);
      for (const link of x.links) lines.push(`    upstream: ${link}`);
    }
  }
  if (c.impact.length) lines.push('What the changes block (most workloads x systems x stacks first):');
  for (const row of c.impact) lines.push(`  ${impactName(row)}${row.category ? ` (${row.category})` : ''}: blocks ${row.blocks}: ${whereBlocked(row)}`);
  if (!c.changes.length) lines.push(NOTHING_CHANGED);
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
    lines.push('| Environment | Base | New |', '|---|---|---|', ...c.environment.map((e) => `| ${fieldLabel(e.field)} | ${mdCell(e.base)} | ${mdCell(e.new)} |`), '');
  }
  for (const g of groups(c)) {
    lines.push(`### ${g.title} (${g.items.length})`, '', '| Probe | Tier | Transition |', '|---|---|---|');
    for (const x of rows(g.kind, g.items)) {
      const links = x.links.map((l) => ` [upstream issue](${l.replace(/[\s()|<>]/g, encodeURIComponent)})`).join('');
      lines.push(`| ${mdCell(x.probe)} | ${mdCell(x.tier)} | ${mdCell(x.text)}${links} |`);
    }
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
  if (!c.changes.length) lines.push(NOTHING_CHANGED);
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
