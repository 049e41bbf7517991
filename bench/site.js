// Benchmark: render the support-status site over 1,000 runs x 20 probes (BENCH_RUNS, BENCH_PROBES).
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
for (const record of syntheticHistory(runs, probes)) {
  mkdirSync(path.join(dir, 'runs', record.runId), { recursive: true });
  writeFileSync(path.join(dir, 'runs', record.runId, 'run.json'), JSON.stringify(record));
}
const site = await measure('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'site', path.join(dir, 'runs'), '--out', path.join(dir, 'site')]);
if (site.exitCode !== 0) throw new Error(`ttprobe site failed: ${site.stdout}`);
console.log(site.stdout.trim());
console.log(`site over ${runs} runs x ${probes} probes: ${fmt(site.seconds, 2)} s (target <= 5 s), peak RSS ${fmt(site.rssMb)} MB`);
