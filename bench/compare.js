// Benchmark: compare two runs of 20 probes (the library call, and the whole CLI with Node's startup).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { compare } from '../dist/compare/compare.js';
import { RunRecord } from '../dist/schemas/run-record.js';
import { fmt } from './lib.js';
import { syntheticHistory } from './synthetic-runs.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const [a, b] = [...syntheticHistory(8, 20)].filter((r) => r.fingerprint.tier === 'n150');
const work = path.join(os.tmpdir(), 'ttprobe-bench-compare');
rmSync(work, { recursive: true, force: true });
for (const r of [a, b]) {
  mkdirSync(path.join(work, r.runId), { recursive: true });
  writeFileSync(path.join(work, r.runId, 'run.json'), JSON.stringify(r));
}
const records = [RunRecord.parse(a), RunRecord.parse(b)];
const rounds = 200;
const t0 = performance.now();
for (let i = 0; i < rounds; i++) compare([records[0]], [records[1]]);
const lib = (performance.now() - t0) / rounds;
const t1 = performance.now();
const { stdout } = await execa('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'compare', path.join(work, a.runId), path.join(work, b.runId), '--json'], { reject: false });
const cliMs = performance.now() - t1;
console.log(`compare of two 20-probe runs: ${fmt(lib, 3)} ms in the library; ${fmt(cliMs, 0)} ms for the whole CLI (Node start, reading and validating both records) -> ${JSON.parse(stdout).changes.length} change(s); target <= 200 ms`);
