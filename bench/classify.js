// Benchmark: classify a large, realistic log (default 1 GiB: the corpus's real failure logs interleaved
// with ordinary log noise, at least one error line per 1,000) with ttprobe, next to `grep -E -f` with
// the catalog's needles on the same file. Prints throughput (MB/s), peak RSS and their ratio.
// BENCH_MIX=info-noise builds the harder mix instead: most lines are ordinary tt-metal info lines
// that carry a needle word (Compiling kernel ..., Executing operation ...), with build chatter, and
// real failure logs making up about 30% of the bytes. Size: BENCH_LOG_MB (default 1024, or 268 for
// info-noise, the size issue 21 measured). CPU seconds are printed too: on a shared machine the
// wall-clock ratio moves with the load, the CPU one much less.
import { createWriteStream, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../dist/classify/catalog.js';
import { catalogNeedles } from '../dist/classify/classify.js';
import { fmt, measure } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const mix = process.env.BENCH_MIX ?? 'plain';
const sizeMb = Number(process.env.BENCH_LOG_MB ?? (mix === 'info-noise' ? 268 : 1024));
const logFile = path.join(os.tmpdir(), `ttprobe-bench-corpus-${mix}-${sizeMb}MB.log`);
const CORPUS = path.join(ROOT, 'fixtures', 'corpus');

const NOISE = [
  '2026-01-12 18:22:41.118 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:195)',
  "/venv/lib/python3.11/site-packages/jax/_src/xla_bridge.py:905: UserWarning: Platform 'tt' is experimental and not all JAX functionality may be correctly supported!",
  '2026-01-12 18:22:42.001 | debug    |              Op | Launching Device Operation: "MatmulDeviceOperation" (device_operation.hpp:151)',
  'Fetching 16 files: 100%|##########| 16/16 [00:00<00:00, 5126.21it/s]',
  '  File "/venv/lib/python3.11/site-packages/flax/linen/module.py", line 701, in _call_wrapped_method',
  'step 1234/5000 loss=0.4312 lr=3.0e-04 tokens/s=18211',
];
const NOISE_LINES_PER_LOG = 1000;
// What a real TT-XLA or tt-metal run prints between errors: info lines full of needle words.
const INFO_NOISE = [
  '2026-12-05 09:10:21.530 | info     |           Metal | Compiling kernel reader_unary_interleaved_start_id (tt_metal/impl/program/program.cpp:884)',
  '2026-12-05 09:10:21.531 | info     |    BuildKernels | JIT cache stats: 0/641 hits (0.0%) [0 cached, 0 build-once dedup] (build_cache_telemetry.cpp:258)',
  '2026-12-05 09:10:21.533 | debug    |              Op | Executing operation: ttnn::matmul on device 0 (device_operation.hpp:151)',
  '2026-12-05 09:10:21.534 | info     |           Metal | Skipping fabric configure (router sync) for mock/emule devices (fabric_firmware_initializer.cpp:350)',
  '[ 42%] Building CXX object tt_metal/CMakeFiles/tt_metal.dir/impl/program/program.cpp.o',
  '2026-12-05 09:10:21.535 (   4.840s) [        357C6B80]      module_builder.cc:412   INFO| Compiling module jit_step with 12 ops',
];

function corpusLogs() {
  const dir = path.join(CORPUS, 'labels.d');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
    .map((l) => readFileSync(path.join(CORPUS, 'logs', JSON.parse(l).file), 'utf8').trimEnd() + '\n');
}

/** Noise between two failure logs: plain, or info lines sized so failure logs are ~30% of the bytes. */
function noiseFor(log) {
  if (mix !== 'info-noise') return Array.from({ length: NOISE_LINES_PER_LOG }, (_, i) => NOISE[i % NOISE.length]).join('\n') + '\n';
  const lines = [];
  let bytes = 0;
  for (let i = 0; bytes < Buffer.byteLength(log) * (7 / 3); i++) {
    const line = INFO_NOISE[i % INFO_NOISE.length];
    lines.push(line);
    bytes += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

async function makeLog() {
  if (existsSync(logFile) && statSync(logFile).size >= sizeMb * 1024 * 1024) return;
  const logs = corpusLogs();
  const out = createWriteStream(logFile);
  let written = 0;
  for (let i = 0; written < sizeMb * 1024 * 1024; i++) {
    const log = logs[i % logs.length];
    const chunk = noiseFor(log) + log;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  out.end();
  await new Promise((r) => out.on('finish', r));
}

/** The catalog's JavaScript patterns in POSIX ERE as GNU grep reads them. */
function toEre(regex) {
  return regex
    .replace(/\(\?<[A-Za-z_]\w*>/g, '(')
    .replace(/\(\?:/g, '(')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\S/g, '[^[:space:]]')
    .replace(/\\s/g, '[[:space:]]');
}

await makeLog();
const bytes = statSync(logFile).size;
const mb = bytes / (1024 * 1024);
const catalog = await loadCatalog();
// The literals ttprobe itself scans for first: every catalog pattern's and the structure reader's.
const needles = catalogNeedles(catalog);
if (!needles) throw new Error('a catalog pattern has no needle; the benchmark compares needle scans');
const patternsFile = path.join(os.tmpdir(), 'ttprobe-bench-needles.txt');
writeFileSync(patternsFile, needles.map((n) => n.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('\n') + '\n');

const ours = await measure('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'classify', '--json', logFile]);
const verdict = JSON.parse(ours.stdout)[0];
const grep = await measure('grep', ['-E', '-i', '-c', '-f', patternsFile, logFile], { env: { ...process.env, LC_ALL: 'C' } });

console.log(`log: ${fmt(mb, 0)} MB of corpus logs among ${mix} noise, ${catalog.patterns.length} patterns, ${needles.length} needles (${logFile})`);
console.log(`ttprobe classify: ${fmt(ours.seconds, 2)} s (${fmt(ours.cpuSeconds, 2)} s CPU), ${fmt(mb / ours.seconds)} MB/s, peak RSS ${fmt(ours.rssMb)} MB -> ${verdict.ruleId}`);
console.log(`grep -E -i -f needles: ${fmt(grep.seconds, 2)} s (${fmt(grep.cpuSeconds, 2)} s CPU), ${fmt(mb / grep.seconds)} MB/s, peak RSS ${fmt(grep.rssMb)} MB -> ${grep.stdout.trim()} matching lines`);
console.log(`throughput ratio (ttprobe / grep): ${fmt(grep.seconds / ours.seconds, 2)} wall, ${fmt(grep.cpuSeconds / ours.cpuSeconds, 2)} CPU (target >= 0.5); peak RSS target <= 150 MB; load average ${os.loadavg().map((l) => fmt(l)).join(' ')}`);
