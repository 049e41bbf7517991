import { existsSync } from 'node:fs';
import path from 'node:path';
import { compare, type ChangeKind } from '../compare/compare.js';
import { formatMarkdown, formatText } from '../compare/format.js';
import { baselineFromRun } from '../compare/baseline.js';
import { readRunRecord } from '../record/run-record.js';
import { RUN_RECORD } from '../record/paths.js';
import { mergeRuns } from '../record/merge.js';
import { collectRuns } from '../site/collect.js';
import { TtprobeError, ExitCode } from '../errors.js';
import type { RunRecord } from '../schemas/run-record.js';
import { Status } from '../schemas/outcome.js';

/** A run directory, or a directory of runs (one release's nights). */
async function loadSide(dir: string): Promise<RunRecord[]> {
  if (existsSync(path.join(dir, RUN_RECORD))) return [await readRunRecord(dir)];
  const { runs, problems } = await collectRuns(dir);
  for (const p of problems) process.stderr.write(`ttprobe: left out: ${p}\n`);
  if (!runs.length) throw new TtprobeError('not-found', `no run records under ${dir}`, { file: dir });
  return runs.map((r) => r.record);
}

const FAIL_ON: ChangeKind[] = ['regression', 'new-unknown', 'changed-reason'];

export async function compareCommand(
  base: string,
  next: string,
  flags: { json?: boolean; md?: boolean; failOn: string; timeThreshold?: string },
  out: (s: string) => void,
): Promise<number> {
  const failOn = flags.failOn.split(',').map((s) => s.trim()).filter(Boolean) as ChangeKind[];
  const bad = failOn.filter((k) => !FAIL_ON.includes(k));
  if (bad.length) throw new TtprobeError('usage', `--fail-on takes ${FAIL_ON.join(', ')}; got ${bad.join(', ')}`);
  const threshold = flags.timeThreshold === undefined ? undefined : Number(flags.timeThreshold);
  if (threshold !== undefined && !(threshold > 0)) throw new TtprobeError('usage', `--time-threshold must be a positive fraction, got '${flags.timeThreshold}'`);
  const comparison = compare(await loadSide(base), await loadSide(next), { timeThreshold: threshold });
  out(flags.json ? JSON.stringify(comparison, null, 2) + '\n' : flags.md ? formatMarkdown(comparison) : formatText(comparison));
  return comparison.changes.some((c) => failOn.includes(c.kind)) ? ExitCode.regressions : ExitCode.ok;
}

export async function baselineCommand(runDir: string, out: (s: string) => void) {
  out(JSON.stringify({ $schema: 'https://ttprobe.dev/schemas/baseline.schema.json', ...baselineFromRun(await readRunRecord(runDir)) }, null, 2) + '\n');
}

export async function historyCommand(runsDir: string, flags: { json?: boolean }, out: (s: string) => void) {
  const { runs, problems } = await collectRuns(runsDir);
  for (const p of problems) process.stderr.write(`ttprobe: left out: ${p}\n`);
  const rows = runs.map(({ dir, record: r }) => ({
    date: r.startedAt,
    runId: r.runId,
    dir,
    tier: r.fingerprint.tier,
    state: r.state,
    firmwareBundle: r.fingerprint.firmwareBundle,
    plugin: r.fingerprint.plugin,
    ttMetal: r.fingerprint.ttMetal,
    jax: r.fingerprint.jax,
    counts: Object.fromEntries(Status.options.map((s) => [s, r.outcomes.filter((o) => o.status === s).length]).filter(([, n]) => n)),
  }));
  const flaky = flakyProbes(runs.map((r) => r.record));
  if (flags.json) {
    out(JSON.stringify({ runs: rows, flaky }, null, 2) + '\n');
    return;
  }
  for (const r of rows) {
    const counts = Object.entries(r.counts).map(([s, n]) => `${n} ${s}`).join(', ');
    out(`${r.date.slice(0, 16).replace('T', ' ')}  ${r.tier.padEnd(7)} ${r.state.padEnd(11)} fw ${r.firmwareBundle ?? 'n/a'}  plugin ${r.plugin ?? 'n/a'}  tt-metal ${r.ttMetal ?? 'n/a'}  jax ${r.jax ?? 'n/a'}  ${counts}  ${r.runId}\n`);
  }
  if (flaky.length) {
    out('Flaky (different outcomes on the same versions, or passed only on retry):\n');
    for (const f of flaky) out(`  ${f.probe} [${f.tier}] ${f.passes}/${f.runs} pass on ${f.versions}\n`);
  }
}

/** A probe is flaky where runs of identical versions disagree, or where it needed a retry to pass. */
export function flakyProbes(records: RunRecord[]) {
  const groups = new Map<string, { probe: string; tier: string; versions: string; passes: number; runs: number; retried: boolean }>();
  for (const r of records) {
    const f = r.fingerprint;
    const versions = `fw ${f.firmwareBundle ?? 'n/a'} · plugin ${f.plugin ?? 'n/a'} · tt-metal ${f.ttMetal ?? 'n/a'} · jax ${f.jax ?? 'n/a'}`;
    for (const o of r.outcomes) {
      if (o.status === 'skip') continue;
      const key = `${f.tier}|${versions}|${o.probe}`;
      const g = groups.get(key) ?? { probe: o.probe, tier: f.tier, versions, passes: 0, runs: 0, retried: false };
      g.runs++;
      if (o.status === 'pass') g.passes++;
      if (o.attempts.length) g.retried = true;
      groups.set(key, g);
    }
  }
  return [...groups.values()].filter((g) => g.retried || (g.passes > 0 && g.passes < g.runs));
}

export async function mergeCommand(dirs: string[], flags: { out: string }, out: (s: string) => void) {
  const merged = await mergeRuns(dirs, flags.out);
  const { writeReports } = await import('../report/write-reports.js');
  await writeReports(flags.out, merged, { formats: ['html', 'md', 'json', 'junit'] });
  out(`merged ${merged.mergedFrom.length} run(s), ${merged.outcomes.length} outcome(s) -> ${path.resolve(flags.out, RUN_RECORD)}\n`);
}
