import { cp, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../schemas/run-record.js';
import { readRunRecord, writeRunRecord } from './run-record.js';
import { TtprobeError, invalidInput } from '../errors.js';
import { RUN_RECORD } from './paths.js';

/**
 * What must be equal for records to be shards of one run: the system and its software (the host may
 * differ: shards run on several machines of one tier), the options that shape outcomes, and the
 * catalog that classified them. Paths (probesDir, python, a stack's interpreter) are local to each
 * machine; the variables a stack runs with shape outcomes, so they must agree. Time limits are kept
 * per probe (each shard those of its own probes) and joined by joinTimeouts.
 */
const SAME: Array<[string, (r: RunRecord) => unknown]> = [
  ['fingerprint.tier', (r) => r.fingerprint.tier],
  ['fingerprint.firmwareBundle', (r) => r.fingerprint.firmwareBundle],
  ['fingerprint.kmd', (r) => r.fingerprint.kmd],
  ['fingerprint.plugin', (r) => r.fingerprint.plugin],
  ['fingerprint.ttMetal', (r) => r.fingerprint.ttMetal],
  ['fingerprint.jax', (r) => r.fingerprint.jax],
  ['fingerprint.jaxlib', (r) => r.fingerprint.jaxlib],
  ['options.target', (r) => r.options.target],
  ['options.size', (r) => r.options.size],
  ['options.devices', (r) => r.options.devices],
  ['options.retries', (r) => r.options.retries],
  ['options.filters', (r) => r.options.filters],
  ['options.stacks.tt-xla.env', (r) => r.options.stacks?.['tt-xla'].env ?? {}],
  ['options.stacks.tt-metal.env', (r) => r.options.stacks?.['tt-metal'].env ?? {}],
  ['catalogVersion', (r) => r.catalogVersion],
];

function refuseDifferences(records: RunRecord[], dirs: string[]): void {
  for (const [field, get] of SAME) {
    const first = JSON.stringify(get(records[0]!) ?? null);
    const i = records.findIndex((r) => JSON.stringify(get(r) ?? null) !== first);
    if (i < 0) continue;
    const file = path.join(dirs[i]!, RUN_RECORD);
    throw invalidInput(file, field, `is ${JSON.stringify(get(records[i]!) ?? null)} here but ${first} in ${path.join(dirs[0]!, RUN_RECORD)}: refusing to merge, these are not shards of one run (compare and site read them side by side as they are)`);
  }
}

/** Every shard's per-probe timeouts in one map; a probe given two different limits is refused. */
function joinTimeouts(records: RunRecord[], dirs: string[]): Record<string, number> {
  const joined: Record<string, number> = {};
  const from: Record<string, string> = {};
  for (const [i, r] of records.entries()) {
    for (const [id, seconds] of Object.entries(r.options.timeouts ?? {})) {
      const file = path.join(dirs[i]!, RUN_RECORD);
      if (joined[id] !== undefined && joined[id] !== seconds) {
        throw invalidInput(file, `options.timeouts.${id}`, `is ${seconds} here but ${joined[id]} in ${from[id]}: refusing to merge, these are not shards of one run`);
      }
      joined[id] = seconds;
      from[id] = file;
    }
  }
  return Object.fromEntries(Object.entries(joined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Joins shards of one nightly (`--shard i/n` on several machines of one tier) into one run directory,
 * logs included. Records of a newer schema are refused by readRunRecord; records whose system,
 * versions, options or catalog differ, and a probe present in two shards, are refused here, since
 * one record describes one system running one configuration.
 */
export async function mergeRuns(dirs: string[], outDir: string): Promise<RunRecord> {
  if (dirs.length < 2) throw new TtprobeError('usage', 'merge needs at least two run directories');
  const records = await Promise.all(dirs.map((d) => readRunRecord(d)));
  refuseDifferences(records, dirs);
  const timeouts = joinTimeouts(records, dirs);
  const owner = new Map<string, string>();
  for (const [i, r] of records.entries()) {
    for (const o of r.outcomes) {
      const other = owner.get(o.probe);
      if (other) throw new TtprobeError('invalid-input', `probe ${o.probe} is in both ${other} and ${dirs[i]}: not shards of one run`);
      owner.set(o.probe, dirs[i]!);
    }
  }
  const out = path.resolve(outDir);
  if (existsSync(out) && (await readdir(out)).length) throw new TtprobeError('usage', `--out ${out} is not empty`);
  await mkdir(path.join(out, 'probes'), { recursive: true });
  for (const dir of dirs) {
    const probes = path.join(dir, 'probes');
    if (existsSync(probes)) await cp(probes, path.join(out, 'probes'), { recursive: true, errorOnExist: true, force: false });
  }
  const first = records.reduce((a, b) => (a.startedAt <= b.startedAt ? a : b));
  const planned = records.flatMap((r) => r.planned).sort();
  const order = new Map(planned.map((id, i) => [id, i]));
  const finished = records.map((r) => r.finishedAt).filter((f): f is string => f !== null).sort();
  const merged: RunRecord = {
    ...first,
    runId: path.basename(out),
    options: { ...first.options, timeouts },
    state: records.every((r) => r.state === 'complete') ? 'complete' : 'interrupted',
    finishedAt: finished.at(-1) ?? null,
    durationS: Math.max(...records.map((r) => r.durationS ?? 0)),
    planned,
    outcomes: records.flatMap((r) => r.outcomes).sort((a, b) => order.get(a.probe)! - order.get(b.probe)!),
    baseline: null,
    mergedFrom: records.flatMap((r) => (r.mergedFrom.length ? r.mergedFrom : [r.runId])),
  };
  await writeRunRecord(out, merged);
  return merged;
}
