// Benchmark: compare two runs of 20 probes (the library call, and the whole CLI with Node's startup),
// the CLI against a bare `node -e 0`: the median of BENCH_ROUNDS rounds, the two interleaved so both
// see the same load on a shared machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
const libRounds = 200;
const t0 = performance.now();
for (let i = 0; i < libRounds; i++) compare([records[0]], [records[1]]);
const lib = (performance.now() - t0) / libRounds;

/** Wall ms (our clock) and CPU ms (GNU time's user + system, in 10 ms steps: its mean says more than its median) of one command. */
function timed(args) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TTPROBE-BENCH %U %S', 'node', ...args], { encoding: 'utf8' });
  const wall = performance.now() - t;
  const cpu = /TTPROBE-BENCH ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (!cpu) throw new Error(`no GNU time output for node ${args.join(' ')}: ${r.stderr.slice(-500)}`);
  return { wall, cpu: (Number(cpu[1]) + Number(cpu[2])) * 1000, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;

const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
// BENCH_CLI: another checkout's bin/ttprobe.js, to measure it under the same load.
const cliArgs = [process.env.BENCH_CLI ?? path.join(ROOT, 'bin', 'ttprobe.js'), 'compare', path.join(work, a.runId), path.join(work, b.runId), '--json'];
const bare = [];
const cli = [];
let changes = 0;
for (let i = 0; i < rounds; i++) {
  bare.push(timed(['-e', '0']));
  const one = timed(cliArgs);
  changes = JSON.parse(one.stdout).changes.length;
  cli.push(one);
}
const [bareWall, cliWall] = [median(bare.map((r) => r.wall)), median(cli.map((r) => r.wall))];
const [bareCpu, cliCpu] = [mean(bare.map((r) => r.cpu)), mean(cli.map((r) => r.cpu))];
console.log(`compare of two 20-probe runs: ${fmt(lib, 3)} ms in the library -> ${changes} change(s)`);
console.log(`${rounds} rounds (median wall, mean CPU): node -e 0 ${fmt(bareWall, 0)} ms wall (${fmt(bareCpu, 0)} ms CPU); ttprobe compare ${fmt(cliWall, 0)} ms wall (${fmt(cliCpu, 0)} ms CPU)`);
console.log(`ratio to a bare node: ${fmt(cliWall / bareWall, 2)} wall, ${fmt(cliCpu / bareCpu, 2)} CPU; target <= 2.0`);
console.log(`load average: ${os.loadavg().map((l) => fmt(l, 2)).join(' ')} (a loaded machine makes these figures rough)`);
