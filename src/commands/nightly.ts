import { existsSync } from 'node:fs';
import path from 'node:path';
import { compare } from '../compare/compare.js';
import type { Change, ChangeKind, Comparison } from '../schemas/comparison.js';
import { CHANGE_KINDS, DEFAULT_FAIL_ON } from '../schemas/change-kinds.js';
import { capForComment, formatMarkdown, formatText } from '../compare/format.js';
import { readRunRecord } from '../record/run-record.js';
import { RUN_RECORD } from '../record/paths.js';
import { TtprobeError, ExitCode } from '../errors.js';
import type { RunRecord } from '../schemas/run-record.js';
import { STATUSES } from '../schemas/names.js';

/** A run directory, or a directory of runs (one release's nights). */
async function loadSide(dir: string): Promise<RunRecord[]> {
  if (existsSync(path.join(dir, RUN_RECORD))) return [await readRunRecord(dir)];
  const { collectRuns } = await import('../site/collect.js');
  const { runs, problems } = await collectRuns(dir);
  for (const p of problems) process.stderr.write(`ttprobe: left out: ${p}\n`);
  if (!runs.length) throw new TtprobeError('not-found', `no run records under ${dir}`, { file: dir });
  return runs.map((r) => r.record);
}

/** `regression,lost-coverage`: each name must be a change kind. */
function parseFailOn(text: string): ChangeKind[] {
  const kinds = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = kinds.filter((k) => !(CHANGE_KINDS as readonly string[]).includes(k));
  if (bad.length || !kinds.length) throw new TtprobeError('usage', `--fail-on takes a comma-separated list of ${CHANGE_KINDS.join(', ')}; got '${text}'`);
  return kinds as ChangeKind[];
}

/** The rule behind a change: the new side's for a change for the worse, the base side's for a fix. */
const ruleOf = (c: Change) => (c.to?.ruleId && c.to.state !== 'pass' ? c.to.ruleId : c.from?.ruleId ?? null);

/** Each change whose known error is filed upstream carries the links; the catalog is read only when a change names a rule. */
async function addUpstreamLinks(comparison: Comparison): Promise<void> {
  if (!comparison.changes.some(ruleOf)) return;
  const { catalogLinks } = await import('../classify/catalog-links.js');
  const links = await catalogLinks();
  for (const c of comparison.changes) {
    const found = links.get(ruleOf(c) ?? '');
    if (found) c.links = found;
  }
}

export async function compareCommand(
  base: string,
  next: string,
  flags: { json?: boolean; md?: boolean; failOn?: string; timeThreshold?: string; flakes?: string },
  out: (s: string) => void,
): Promise<number> {
  const failOn = flags.failOn === undefined ? DEFAULT_FAIL_ON : parseFailOn(flags.failOn);
  const threshold = flags.timeThreshold === undefined ? undefined : Number(flags.timeThreshold);
  if (threshold !== undefined && !(threshold > 0)) throw new TtprobeError('usage', `--time-threshold must be a positive fraction, got '${flags.timeThreshold}'`);
  const flakes = flags.flakes ? await (await import('../flakes/known-flakes.js')).loadKnownFlakes(flags.flakes) : null;
  const comparison = compare(await loadSide(base), await loadSide(next), { timeThreshold: threshold, flakes: flakes ?? undefined });
  await addUpstreamLinks(comparison);
  out(flags.json ? JSON.stringify(comparison, null, 2) + '\n' : flags.md ? capForComment(formatMarkdown(comparison), `ttprobe compare ${base} ${next}`) : formatText(comparison));
  if (comparison.brokenEnvironment.length) return ExitCode.brokenEnvironment;
  return comparison.changes.some((c) => failOn.includes(c.kind)) ? ExitCode.regressions : ExitCode.ok;
}

export async function baselineCommand(runDir: string, out: (s: string) => void) {
  // Each command of this file loads what only it uses: `compare` starts as often as a CI step runs.
  const { baselineFromRun } = await import('../compare/baseline.js');
  out(JSON.stringify({ $schema: 'https://ttprobe.dev/schemas/baseline.schema.json', ...baselineFromRun(await readRunRecord(runDir)) }, null, 2) + '\n');
}

export async function historyCommand(runsDir: string, flags: { json?: boolean }, out: (s: string) => void) {
  const [{ collectRuns }, { systemTitle }, { textTable }] = await Promise.all([import('../site/collect.js'), import('../device/system-title.js'), import('../report/text-table.js')]);
  const { runs, problems } = await collectRuns(runsDir);
  for (const p of problems) process.stderr.write(`ttprobe: left out: ${p}\n`);
  if (!runs.length) throw new TtprobeError('not-found', `no runs under ${runsDir}${problems.length ? ` that can be read (${problems.length} left out)` : ''}: nothing to list`, { file: runsDir });
  const rows = runs.map(({ dir, record: r }) => ({
    date: r.startedAt,
    runId: r.runId,
    dir,
    tier: r.fingerprint.tier,
    system: systemTitle(r.fingerprint.tier, r.options.target),
    state: r.state,
    firmwareBundle: r.fingerprint.firmwareBundle,
    plugin: r.fingerprint.plugin,
    ttMetal: r.fingerprint.ttMetal,
    jax: r.fingerprint.jax,
    counts: Object.fromEntries(STATUSES.map((s) => [s, r.outcomes.filter((o) => o.status === s).length]).filter(([, n]) => n)),
  }));
  const { probeConsistency } = await import('../compare/history.js');
  const { flaky, consistentFailures } = probeConsistency(runs.map((r) => r.record));
  if (flags.json) {
    out(JSON.stringify({ runs: rows, flaky, consistentFailures }, null, 2) + '\n');
    return;
  }
  const table = textTable(
    ['DATE', 'SYSTEM', 'STATE', 'FIRMWARE', 'PLUGIN', 'TT-METAL', 'JAX', 'OUTCOMES', 'RUN'],
    rows.map((r) => [
      r.date.slice(0, 16).replace('T', ' '), r.system, r.state, r.firmwareBundle ?? 'n/a', r.plugin ?? 'n/a', r.ttMetal ?? 'n/a', r.jax ?? 'n/a',
      Object.entries(r.counts).map(([s, n]) => `${n} ${s}`).join(', '), r.runId,
    ]),
  );
  for (const line of table) out(`${line}\n`);
  if (flaky.length) {
    out('Flaky (attempts or runs on identical versions disagree):\n');
    for (const f of flaky) out(`  ${f.probe} [${f.tier}] ${f.passes}/${f.runs} pass on ${f.versions}: ${f.why.join(', ')} (${f.outcomes.join(' | ')})\n`);
  }
  if (consistentFailures.length) {
    out('Consistent failures (tried more than once, failed the same way every time):\n');
    for (const f of consistentFailures) out(`  ${f.probe} [${f.tier}] ${f.outcome} on all ${f.attempts} attempt(s) in ${f.runs} run(s) on ${f.versions}\n`);
  }
}

export async function mergeCommand(dirs: string[], flags: { out: string }, out: (s: string) => void) {
  const { mergeRuns } = await import('../record/merge.js');
  const merged = await mergeRuns(dirs, flags.out);
  const { writeReports } = await import('../report/write-reports.js');
  await writeReports(flags.out, merged, { formats: ['html', 'md', 'json', 'junit'] });
  out(`merged ${merged.mergedFrom.length} run(s), ${merged.outcomes.length} outcome(s) -> ${path.resolve(flags.out, RUN_RECORD)}\n`);
}
