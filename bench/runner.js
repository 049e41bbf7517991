// Benchmark: runner overhead. 100 trivial Python probes through `ttprobe run`, against a plain shell
// loop running the same commands with the same environment variables. Prints both and the ratio.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { fmt } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const count = Number(process.env.BENCH_PROBES ?? 100);
const work = path.join(os.tmpdir(), 'ttprobe-bench-runner');
rmSync(work, { recursive: true, force: true });
const probesDir = path.join(work, 'probes');
const PROBE = `import json, os
with open(os.environ["TTPROBE_RESULT_FILE"], "w") as f:
    json.dump({"protocol": 1, "status": "pass", "placement": {"platform": "cpu", "device": "cpu"}}, f)
`;
for (let i = 0; i < count; i++) {
  const id = `trivial-${String(i).padStart(3, '0')}`;
  mkdirSync(path.join(probesDir, id), { recursive: true });
  writeFileSync(path.join(probesDir, id, 'probe.json'), JSON.stringify({ id, title: id, stack: 'tt-xla', workload: 'bench', command: ['python', 'probe.py'] }));
  writeFileSync(path.join(probesDir, id, 'probe.py'), PROBE);
}

const loop = `
set -e
out=${work}/shell
mkdir -p "$out"
for d in ${probesDir}/*/; do
  id=$(basename "$d")
  mkdir -p "$out/$id/out"
  (cd "$out/$id/out" && TTPROBE_RESULT_FILE="$out/$id/result.json" TTPROBE_OUTPUT_DIR="$out/$id/out" TTPROBE_TARGET=cpu \\
    python3 "$d/probe.py" > "$out/$id/stdout.log" 2> "$out/$id/stderr.log")
done`;

const time = async (fn) => {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
};
const env = { ...process.env, CI: '1', TTPROBE_LOCK_DIR: path.join(work, 'locks') };
const shell = await time(() => execa('bash', ['-c', loop], { env }));
const ours = await time(() =>
  execa('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'run', '--probes-dir', probesDir, '--runs-dir', path.join(work, 'runs'), '--target', 'cpu', '--python', 'python3', '--no-report'], { env }),
);
console.log(`${count} trivial probes: shell loop ${fmt(shell, 2)} s, ttprobe run ${fmt(ours, 2)} s (detection, journal fsync per probe, classification included)`);
console.log(`runner overhead ratio (ttprobe / shell): ${fmt(ours / shell, 2)} (target <= 1.10)`);
