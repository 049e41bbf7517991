// Benchmark: the support-status site over 1,000 runs x 20 probes (BENCH_RUNS, BENCH_PROBES): a full
// build (no cache), then one more night added and the site rebuilt with the run-record cache.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, measure } from './lib.js';
import { syntheticHistory } from './synthetic-runs.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const runs = Number(process.env.BENCH_RUNS ?? 1000);
const probes = Number(process.env.BENCH_PROBES ?? 20);
const dir = path.join(os.tmpdir(), `ttprobe-bench-site-${runs}x${probes}`);
rmSync(dir, { recursive: true, force: true });
const history = [...syntheticHistory(runs + 1, probes)];
const write = (record) => {
  mkdirSync(path.join(dir, 'runs', record.runId), { recursive: true });
  writeFileSync(path.join(dir, 'runs', record.runId, 'run.json'), JSON.stringify(record));
};
history.slice(0, runs).forEach(write);
const site = (extra = []) => measure('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'site', path.join(dir, 'runs'), '--out', path.join(dir, 'site'), ...extra]);

const full = await site();
if (full.exitCode !== 0) throw new Error(`ttprobe site failed: ${full.stdout}`);
console.log(full.stdout.trim());
console.log(`full build over ${runs} runs x ${probes} probes: ${fmt(full.seconds, 2)} s (target <= 5 s; CPU ${fmt(full.cpuSeconds, 2)} s), peak RSS ${fmt(full.rssMb)} MB`);

write(history[runs]);
const incremental = await site();
if (incremental.exitCode !== 0 || !/\(1 read, /.test(incremental.stdout)) throw new Error(`incremental build did not use the cache: ${incremental.stdout}`);
console.log(incremental.stdout.trim());
console.log(`one night added to ${runs}: ${fmt(incremental.seconds, 2)} s (target <= 1 s; CPU ${fmt(incremental.cpuSeconds, 2)} s), peak RSS ${fmt(incremental.rssMb)} MB`);
