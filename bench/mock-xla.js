// Benchmark: TT-XLA probes through the real plugin (jax-tt-plugin in .venv-tt-xla) on a mock P150,
// each run twice with one ttprobe cache: the first run unpacks the plugin's toolchain into a fresh
// cache slot and builds tt-metal's firmware, the second finds both there. Prints wall seconds of each.
// Probes: BENCH_MOCK_PROBES (default jax-dot,cnn-flax). Cache: a fresh temporary one, or BENCH_CACHE_DIR.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, measure } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const probes = (process.env.BENCH_MOCK_PROBES ?? 'jax-dot,cnn-flax').split(',');
const cache = process.env.BENCH_CACHE_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'ttprobe-bench-cache-'));
const env = { ...process.env, TTPROBE_CACHE_DIR: cache, CI: '1' };

console.log(`cache: ${cache}`);
for (const probe of probes) {
  const times = [];
  for (const attempt of [1, 2]) {
    const runs = mkdtempSync(path.join(os.tmpdir(), 'ttprobe-bench-runs-'));
    const r = await measure('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'run', '--mock', 'p150', '--probe', probe, '--runs-dir', runs, '--no-report'], { env, cwd: ROOT });
    if (r.exitCode !== 0) throw new Error(`${probe} run ${attempt} exited ${r.exitCode}`);
    times.push(r);
  }
  console.log(`${probe}: first run ${fmt(times[0].seconds)} s wall (${fmt(times[0].cpuSeconds)} s CPU), second ${fmt(times[1].seconds)} s wall (${fmt(times[1].cpuSeconds)} s CPU)`);
}
