import { cp, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../schemas/run-record.js';
import { readRunRecord, writeRunRecord } from './run-record.js';
import { TtprobeError } from '../errors.js';

/**
 * Joins shards of one nightly (`--shard i/n` on several machines of one tier) into one run directory,
 * logs included. Records of a newer schema are refused by readRunRecord; different tiers and a probe
 * present in two shards are refused here, since one record describes one system.
 */
export async function mergeRuns(dirs: string[], outDir: string): Promise<RunRecord> {
  if (dirs.length < 2) throw new TtprobeError('usage', 'merge needs at least two run directories');
  const records = await Promise.all(dirs.map((d) => readRunRecord(d)));
  const tiers = [...new Set(records.map((r) => r.fingerprint.tier))];
  if (tiers.length > 1) {
    throw new TtprobeError('invalid-input', `refusing to merge runs of different systems (${tiers.join(', ')}); compare and site read them side by side as they are`);
  }
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
