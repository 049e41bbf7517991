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

function cell(outcomes: OutcomeView[]): string {
  if (!outcomes.length) return '_no probe_';
  return outcomes
    .map((v) => {
      const probe = v.started ? `[${mdCell(v.outcome.probe)}](${v.stdoutHref})` : mdCell(v.outcome.probe);
      const predicted = v.outcome.predicted.length ? ` _predicted to fail on TT-XLA: ${mdCell(v.predictedSummary)}_` : '';
      const stage = v.stage ? ` _${mdCell(v.stage)}_` : '';
      return `**${mdCell(v.headline)}**${stage} (${v.time}) ${probe} ${mdCell(v.outcome.reason.slice(0, 160))}${predicted}`;
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
    if (o.result?.placement) lines.push(`- Placement: ${mdCell(o.result.placement.device)} (${mdCell(o.result.placement.platform)})`);
    for (const p of v.predictions) lines.push(`- Predicted to fail on TT-XLA: ${mdCell(p)}`);
    for (const ph of v.census) {
      const ops = ph.ops.map((x) => `${x.predicted ? '**' : ''}${mdCell(x.op)}${x.predicted ? '**' : ''} ${x.count}`).join(', ');
      const modules = ph.moduleText ? `${ph.moduleText}, ` : '';
      lines.push(`- Census, ${ph.phase} (${modules}${mdCell(ph.where)}): ${ops || 'no ops'}`);
    }
    for (const e of o.evidence) lines.push(`- Evidence: \`${e.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``);
    if (v.started) lines.push(`- Logs: [stdout](${v.stdoutHref}), [stderr](${v.stderrHref})`);
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

export const markdownReporter: Reporter = { format: 'md', fileName: 'report.md', render };
