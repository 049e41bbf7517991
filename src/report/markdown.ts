import type { Reporter } from './reporter.js';
import type { OutcomeView, ReportView } from './view.js';
import { statusLabel } from './status-label.js';

/**
 * Probe text as Markdown text: no pipes, newlines or HTML (table cells), no link or image syntax
 * (brackets escaped), no emphasis (`*`, `~`, and `_` where it could open or close one), and no
 * mention (`@everyone`, `@team`): a zero-width space after `@` keeps GitHub and chat from pinging.
 */
export function mdCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, "'")
    .replace(/[[\]*~]/g, (c) => `\\${c}`)
    // An underscore between two letters or digits never opens emphasis (reduce_window stays as is).
    .replace(/_/g, (c, at: number, all: string) => (/[\p{L}\p{N}]/u.test(all[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[at + 1] ?? '') ? c : '\\_'))
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}

/** `text` cut to `max` characters at a word boundary, with an ellipsis when anything was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A link target that cannot end the Markdown link early: spaces, parentheses and pipes percent-encoded. */
const linkTarget = (url: string) => url.replace(/[\s()|<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Where the known error is filed upstream, as a cell's short link. */
const upstream = (v: OutcomeView) => (v.entry?.links[0] ? ` [upstream issue](${linkTarget(v.entry.links[0])})` : '');

/** Width of the report's source lines: a list of ops wraps onto indented continuation lines. */
const WIDTH = 100;

/** `- head: a, b, c` wrapped at WIDTH; continuation lines indented so Markdown keeps them in the item. */
function wrapList(head: string, items: string[]): string[] {
  const lines: string[] = [];
  let line = `${head}: `;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line.length + piece.length > WIDTH && line.trim().length > head.length + 1) {
      lines.push(line.trimEnd());
      line = '  ';
    }
    line += `${piece} `;
  });
  lines.push(line.trimEnd());
  return lines;
}

function cell(outcomes: OutcomeView[]): string {
  if (!outcomes.length) return '_no probe_';
  return outcomes
    .map((v) => {
      const probe = v.started ? `[${mdCell(v.outcome.probe)}](${v.stdoutHref})` : mdCell(v.outcome.probe);
      const predicted = v.outcome.predicted.length ? ` _predicted to fail on TT-XLA: ${mdCell(v.predictedSummary)}_` : '';
      const stage = v.stage ? ` _${mdCell(v.stage)}_` : '';
      return `**${mdCell(v.headline)}**${stage} (${v.time}) ${probe} ${mdCell(clip(v.outcome.reason, 160))}${upstream(v)}${predicted}`;
    })
    .join('<br>');
}

function render(view: ReportView): string {
  const lines = [`# ${mdCell(view.title)}`, ''];
  lines.push('| | |', '|---|---|', ...view.header.map((h) => `| ${mdCell(h.name)} | ${mdCell(h.value)} |`), '');
  lines.push(`**Outcomes:** ${view.counts.map((c) => `${c.count} ${statusLabel(c.status)}`).join(', ') || 'none'}`, '');
  lines.push('## Support matrix', '');
  lines.push(`| Workload | ${view.stacks.map((s) => s.title).join(' | ')} |`);
  lines.push(`|---|${view.stacks.map(() => '---').join('|')}|`);
  for (const row of view.rows) lines.push(`| ${mdCell(row.workload)} | ${row.cells.map((c) => cell(c.outcomes)).join(' | ')} |`);
  if (view.opTable) {
    lines.push('', '## Op coverage: TT-XLA vs tt-metal', '');
    lines.push(`| Op family | ${view.opTable.headers.map((h) => `${h.title}${h.column ? ` (${h.column.ok} of ${h.column.total})` : ''}`).join(' | ')} |`);
    lines.push(`|---|${view.opTable.headers.map(() => '---').join('|')}|`);
    for (const row of view.opTable.rows) {
      const cells = row.cells.map((c) => c.ops.map((op) => `**${op.status}** [${mdCell(op.family)}](${op.href})${op.why ? ` ${mdCell(op.why)}` : ''}`).join('<br>') || '_not covered_');
      lines.push(`| ${mdCell(row.title)} | ${cells.join(' | ')} |`);
    }
  }
  if (view.impact.length) {
    lines.push('', '## Impact: which failure blocks most', '', '| Failure | Blocks | Workloads (stack: probes) |', '|---|---|---|');
    for (const r of view.impact) {
      const where = r.blocked.map((b) => `${mdCell(b.workload)} (${b.stack}): ${b.probes.map(mdCell).join(', ')}`).join('<br>');
      lines.push(`| ${mdCell(r.ruleId ?? r.signature ?? r.category ?? '')}: ${mdCell(r.title)} | ${r.blocks} | ${where} |`);
    }
  }
  lines.push('', '## Probes', '');
  for (const v of view.outcomes) {
    const o = v.outcome;
    lines.push(`### ${mdCell(o.probe)}: ${mdCell(v.headline)}`, '');
    lines.push(`- Stack: ${o.stack}; workload: ${mdCell(o.workload)}; time: ${v.time}`);
    lines.push(`- Reason: ${mdCell(o.reason)}`);
    if (o.layer) lines.push(`- Layer: ${o.layer}`);
    if (v.stageLine) lines.push(`- Stage: ${mdCell(v.stageLine)}`);
    if (v.entry) lines.push(`- Known error: ${mdCell(v.entry.id)} (${mdCell(v.entry.title)}) ${v.entry.links.filter((l) => /^https?:\/\//.test(l)).map((l) => `<${l}>`).join(' ')}`);
    if (o.signature) lines.push(`- New signature: \`${o.signature}\``);
    if (v.timings.length) lines.push(...wrapList('- Timings', v.timings.map((t) => `${mdCell(t.name)} ${t.value}`)));
    if (v.metrics.length) lines.push(...wrapList('- Metrics', v.metrics.map((m) => `${mdCell(m.name)} ${m.value}`)));
    if (o.result?.placement) lines.push(`- Placement: ${mdCell(o.result.placement.device)} (${mdCell(o.result.placement.platform)})`);
    for (const p of v.predictions) lines.push(`- Predicted to fail on TT-XLA: ${mdCell(p)}`);
    for (const ph of v.census) {
      const ops = ph.ops.map((x) => `${x.predicted ? '**' : ''}${mdCell(x.op)}${x.predicted ? '**' : ''} ${x.count}`);
      const modules = ph.moduleText ? `${ph.moduleText}, ` : '';
      lines.push(...wrapList(`- Census, ${ph.phase} (${modules}${mdCell(ph.where)})`, ops.length ? ops : ['no ops']));
    }
    for (const e of o.evidence) lines.push(`- Evidence: \`${e.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``);
    if (v.started) lines.push(`- Logs: [stdout](${v.stdoutHref}), [stderr](${v.stderrHref})`);
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

export const markdownReporter: Reporter = { format: 'md', fileName: 'report.md', render };
