// Shared by the benchmark scripts: run a command under GNU time and read wall time and peak RSS.
import { execa } from 'execa';

export async function measure(cmd, args, opts = {}) {
  const { stderr, stdout, exitCode } = await execa('/usr/bin/time', ['-v', cmd, ...args], { reject: false, ...opts });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  if (!wall || !rss) throw new Error(`could not read GNU time output for ${cmd}: ${stderr.slice(-500)}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  // CPU time too: on a shared machine it says more about the code than wall time does.
  const cpuSeconds = Number(user?.[1] ?? NaN) + Number(sys?.[1] ?? NaN);
  return { seconds, cpuSeconds, rssMb: Number(rss[1]) / 1024, stdout, exitCode };
}

export const fmt = (n, digits = 1) => n.toFixed(digits);
