// Benchmark: runner overhead. Prints
//  1. `ttprobe run` against a plain shell loop running the same trivial Python probes with the same
//     environment variables: BENCH_PROBES probes (100), BENCH_ROUNDS rounds (3), the sides interleaved
//     within each round so load drifts hit all of them; ratios are the median of the rounds' own. Two ratios: to the job done by hand (`tt-smi -s` once,
//     as ttprobe's detection does, then the loop: the target) and to the bare loop. Then where the
//     difference lies: start-up (a 1-probe run less the 1-probe loop; of it, tt-smi's own time) and
//     the cost per probe (the two sides' slopes between 1 and BENCH_PROBES probes);
//  2. the runner's own CPU per probe (node process, utime + stime from /proc) over the first and the last
//     100 of BENCH_LONG probes (1,000; 0 skips): equal figures mean per-probe cost does not grow with the run;
//  3. the runner's peak RSS (VmHWM) for a run whose one probe writes BENCH_MANY_FILES empty files
//     (200,000; 0 skips) into its output folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { fmt } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const count = Number(process.env.BENCH_PROBES ?? 100);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const long = Number(process.env.BENCH_LONG ?? 1000);
const manyFiles = Number(process.env.BENCH_MANY_FILES ?? 200_000);
// Its own folder, so two copies (this code and a baseline checkout) can run side by side.
const work = mkdtempSync(path.join(os.tmpdir(), 'ttprobe-bench-runner-'));
const env = { ...process.env, CI: '1', TTPROBE_LOCK_DIR: path.join(work, 'locks') };
// The interpreter itself, not a shim on PATH (pyenv's is a bash script): both sides start the same binary.
const python = (await execa('python3', ['-c', 'import sys; print(sys.executable)'])).stdout.trim();

const PROBE = `import json, os
with open(os.environ["TTPROBE_RESULT_FILE"], "w") as f:
    json.dump({"protocol": 1, "status": "pass", "placement": {"platform": "cpu", "device": "cpu"}}, f)
`;
function writeProbes(dir, n, extra = '') {
  for (let i = 0; i < n; i++) {
    const id = `trivial-${String(i).padStart(4, '0')}`;
    mkdirSync(path.join(dir, id), { recursive: true });
    writeFileSync(path.join(dir, id, 'probe.json'), JSON.stringify({ id, title: id, stack: 'tt-xla', workload: 'bench', command: ['python', 'probe.py'], timeoutSeconds: 600 }));
    writeFileSync(path.join(dir, id, 'probe.py'), extra + PROBE);
  }
  return dir;
}

const loop = (probesDir, out) => `
set -e
out=${out}
mkdir -p "$out"
for d in ${probesDir}/*/; do
  id=$(basename "$d")
  mkdir -p "$out/$id/out"
  (cd "$out/$id/out" && TTPROBE_RESULT_FILE="$out/$id/result.json" TTPROBE_OUTPUT_DIR="$out/$id/out" TTPROBE_TARGET=cpu \\
    ${python} "$d/probe.py" > "$out/$id/stdout.log" 2> "$out/$id/stderr.log")
done`;

const runArgs = (probesDir, runsDir) => [path.join(ROOT, 'bin', 'ttprobe.js'), 'run', '--probes-dir', probesDir, '--runs-dir', runsDir, '--target', 'cpu', '--python', python, '--no-report'];
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const clockTick = 100; // USER_HZ on Linux

/** Runs ttprobe, reading the node process's CPU seconds as each probe finishes and its peak RSS. */
async function watched(probesDir, runsDir) {
  const child = execa('node', runArgs(probesDir, runsDir), { env, buffer: false });
  const cpuAt = [];
  let hwmKb = 0;
  const sample = () => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) hwmKb = Math.max(hwmKb, Number(hwm[1]));
      return (Number(fields[11]) + Number(fields[12])) / clockTick;
    } catch {
      return NaN;
    }
  };
  let pending = '';
  child.stderr.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) if (/^\[\d+\/\d+\] \S+\s+\S+\s+[\d.]+s/.test(line)) cpuAt.push(sample());
  });
  const timer = setInterval(sample, 200);
  await child;
  clearInterval(timer);
  return { cpuAt, hwmMb: hwmKb / 1024 };
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(`machine: ${os.cpus().length} cores, load average ${load()} at start; figures on a loaded machine are rough`);

// The tt-smi ttprobe's detection runs (src/device/tt-smi.ts): $TTPROBE_TT_SMI, else PATH, else its own venv's.
const ttSmi = await (async () => {
  if (env.TTPROBE_TT_SMI) return env.TTPROBE_TT_SMI;
  const onPath = await execa('bash', ['-c', 'command -v tt-smi'], { reject: false });
  if (onPath.exitCode === 0) return onPath.stdout.trim();
  const own = path.join(ROOT, '.venv-tt-smi', 'bin', 'tt-smi');
  return existsSync(own) ? own : null;
})();
const byHand = (probesDir, out) => `${ttSmi ? `${ttSmi} -s --snapshot_no_tty > /dev/null 2>&1 || true` : ''}\n${loop(probesDir, out)}`;

if (count > 1 && rounds > 0) {
  const probesDir = writeProbes(path.join(work, 'probes'), count);
  const oneDir = writeProbes(path.join(work, 'one-probe'), 1);
  const sides = { shell: [], hand: [], ours: [], shellOne: [], oursOne: [], ttSmi: [] };
  for (let r = 0; r < rounds; r++) {
    sides.shell.push(await time(() => execa('bash', ['-c', loop(probesDir, path.join(work, `shell-${r}`))], { env })));
    sides.hand.push(await time(() => execa('bash', ['-c', byHand(probesDir, path.join(work, `hand-${r}`))], { env })));
    sides.ours.push(await time(() => execa('node', runArgs(probesDir, path.join(work, `runs-${r}`)), { env })));
    sides.shellOne.push(await time(() => execa('bash', ['-c', loop(oneDir, path.join(work, `shell-one-${r}`))], { env })));
    sides.oursOne.push(await time(() => execa('node', runArgs(oneDir, path.join(work, `runs-one-${r}`)), { env })));
    if (ttSmi) sides.ttSmi.push(await time(() => execa(ttSmi, ['-s', '--snapshot_no_tty'], { env, reject: false })));
    console.log(`  round ${r + 1}: shell loop ${fmt(sides.shell[r], 2)} s, by hand ${fmt(sides.hand[r], 2)} s, ttprobe run ${fmt(sides.ours[r], 2)} s`);
  }
  const m = Object.fromEntries(Object.entries(sides).map(([k, xs]) => [k, xs.length ? median(xs) : NaN]));
  const perProbeMs = (((m.ours - m.oursOne) - (m.shell - m.shellOne)) / (count - 1)) * 1000;
  console.log(`${count} trivial probes, ${rounds} round(s), medians: shell loop ${fmt(m.shell, 2)} s; by hand (${ttSmi ? 'tt-smi -s once, then the loop' : 'no tt-smi here: the loop alone'}) ${fmt(m.hand, 2)} s; ttprobe run ${fmt(m.ours, 2)} s`);
  // Each round's own ratio, then their median: a load drift between rounds moves both sides of a round.
  const ratio = (side) => median(sides.ours.map((ours, r) => ours / sides[side][r]));
  console.log(`runner overhead ratio (median of the rounds' ratios) to the job by hand ${fmt(ratio('hand'), 2)} (target <= 1.10); to the bare shell loop ${fmt(ratio('shell'), 2)}`);
  console.log(`  start-up (1-probe run ${fmt(m.oursOne, 2)} s less the 1-probe loop ${fmt(m.shellOne, 2)} s): ${fmt(m.oursOne - m.shellOne, 2)} s${ttSmi ? `, of which tt-smi -s by itself takes ${fmt(m.ttSmi, 2)} s` : ''}; cost per probe over the loop's: ${fmt(perProbeMs, 1)} ms`);
}

if (long >= 200) {
  const { cpuAt, hwmMb } = await watched(writeProbes(path.join(work, 'long-probes'), long), path.join(work, 'long-runs'));
  const perProbe = (from, to) => ((cpuAt[to] - cpuAt[from]) / (to - from)) * 1000;
  console.log(`${long} trivial probes: runner CPU per probe ${fmt(perProbe(0, 100), 1)} ms over the first 100, ${fmt(perProbe(long - 101, long - 1), 1)} ms over the last 100; peak RSS ${fmt(hwmMb, 0)} MB`);
}

if (manyFiles > 0) {
  const dir = writeProbes(path.join(work, 'many-probes'), 1, `import os\nfor i in range(${manyFiles}):\n    open(os.path.join(os.environ["TTPROBE_OUTPUT_DIR"], f"f{i}"), "w").close()\n`);
  const { hwmMb } = await watched(dir, path.join(work, 'many-runs'));
  console.log(`one probe writing ${manyFiles} files into its output folder: runner peak RSS ${fmt(hwmMb, 0)} MB (target <= 150)`);
}
console.log(`load average ${load()} at the end`);
rmSync(work, { recursive: true, force: true });
