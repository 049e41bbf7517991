// Benchmark: classify a large log (default 1 GiB) with ttprobe, next to `grep -E` with the same patterns.
// Prints throughput (MB/s) and peak RSS of each, and their ratio. Size: BENCH_LOG_MB (default 1024).
import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../dist/classify/catalog.js';
import { fmt, measure } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const sizeMb = Number(process.env.BENCH_LOG_MB ?? 1024);
const logFile = path.join(os.tmpdir(), `ttprobe-bench-${sizeMb}MB.log`);

const NOISE = [
  '2026-01-12 18:22:41.118 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:195)',
  "/venv/lib/python3.11/site-packages/jax/_src/xla_bridge.py:905: UserWarning: Platform 'tt' is experimental and not all JAX functionality may be correctly supported!",
  '2026-01-12 18:22:42.001 | debug    |              Op | Launching Device Operation: "MatmulDeviceOperation" (device_operation.hpp:151)',
  'Fetching 16 files: 100%|##########| 16/16 [00:00<00:00, 5126.21it/s]',
  '  File "/venv/lib/python3.11/site-packages/flax/linen/module.py", line 701, in _call_wrapped_method',
  'step 1234/5000 loss=0.4312 lr=3.0e-04 tokens/s=18211',
];
const TAIL = [
  "loc(\"reduce-window.1264\"): error: failed to legalize operation 'stablehlo.reduce_window'",
  'jaxlib._jax.XlaRuntimeError: INTERNAL: Error code: 13',
];

async function makeLog() {
  if (existsSync(logFile) && statSync(logFile).size >= sizeMb * 1024 * 1024) return;
  const out = createWriteStream(logFile);
  const block = Array.from({ length: 4096 }, (_, i) => NOISE[i % NOISE.length]).join('\n') + '\n';
  const blocks = Math.ceil((sizeMb * 1024 * 1024) / Buffer.byteLength(block));
  for (let i = 0; i < blocks; i++) if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  out.end(TAIL.join('\n') + '\n');
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
const patternsFile = path.join(os.tmpdir(), 'ttprobe-bench-patterns.txt');
writeFileSync(patternsFile, catalog.patterns.map((p) => toEre(p.regex.source)).join('\n') + '\n');

const ours = await measure('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'classify', '--json', logFile]);
const verdict = JSON.parse(ours.stdout)[0];
const grep = await measure('grep', ['-E', '-c', '-f', patternsFile, logFile], { env: { ...process.env, LC_ALL: 'C' } });

console.log(`log: ${fmt(mb, 0)} MB, ${catalog.patterns.length} patterns (${logFile})`);
console.log(`ttprobe classify: ${fmt(ours.seconds, 2)} s, ${fmt(mb / ours.seconds)} MB/s, peak RSS ${fmt(ours.rssMb)} MB -> ${verdict.ruleId}`);
console.log(`grep -E -f:       ${fmt(grep.seconds, 2)} s, ${fmt(mb / grep.seconds)} MB/s, peak RSS ${fmt(grep.rssMb)} MB -> ${grep.stdout.trim()} matching lines`);
console.log(`throughput ratio (ttprobe / grep): ${fmt(grep.seconds / ours.seconds, 2)} (target >= 0.5); peak RSS target <= 150 MB`);
