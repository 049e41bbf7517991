// Benchmark: the full probe matrix on this machine's CPU at tiny size, as the README's first command runs it.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { fmt } from './lib.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const runs = path.join(os.tmpdir(), 'ttprobe-bench-matrix');
const t = performance.now();
const { stdout } = await execa('node', [path.join(ROOT, 'bin', 'ttprobe.js'), 'run', '--runs-dir', runs], { env: { ...process.env, CI: '1' } });
const seconds = (performance.now() - t) / 1000;
console.log(stdout.split('\n')[0]);
console.log(`full CPU matrix at tiny size on ${os.cpus().length} cores: ${fmt(seconds, 1)} s (target <= 180 s)`);
