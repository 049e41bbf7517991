import type { Outcome } from '../../schemas/outcome.js';
import { systemTitle } from '../../device/system-title.js';

/** Hooks the runner calls as the matrix advances; every hook is optional. */
export interface ProgressSink {
  runStarted?(info: { runDir: string; total: number; target: string; tier: string }): void;
  probeStarted?(probe: string, index: number, total: number): void;
  probeFinished?(outcome: Outcome, index: number, total: number): void;
  message?(text: string): void;
  close?(): void;
}

const fmt = (s: number) => (s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`);

function outcomeLine(o: Outcome, index: number, total: number): string {
  const cat = o.category ? ` [${o.category}]` : '';
  return `[${index}/${total}] ${o.probe.padEnd(18)} ${o.status.padEnd(12)} ${fmt(o.durationS).padStart(7)}${cat}  ${o.reason}`;
}

const started = (i: { runDir: string; total: number; target: string; tier: string }) =>
  `ttprobe: running ${i.total} probe(s) on ${systemTitle(i.tier, i.target)} -> ${i.runDir}\n`;

/** Plain lines: one when a probe starts, one when it ends. What CI logs want. */
export function plainProgress(write: (s: string) => void): ProgressSink {
  return {
    runStarted: (i) => write(started(i)),
    probeStarted: (p, i, n) => write(`[${i}/${n}] ${p} ...\n`),
    probeFinished: (o, i, n) => write(outcomeLine(o, i, n) + '\n'),
    message: (t) => write(`ttprobe: ${t}\n`),
  };
}

/** A TTY gets a live line with the running probes and their elapsed time, redrawn each second. */
export function ttyProgress(stream: NodeJS.WriteStream): ProgressSink {
  const running = new Map<string, number>();
  const redraw = () => {
    const now = performance.now();
    const parts = [...running].map(([p, t]) => `${p} ${fmt((now - t) / 1000)}`);
    stream.write(`\r\x1b[2K${parts.length ? `running: ${parts.join(', ')}` : ''}`);
  };
  const timer = setInterval(redraw, 1000);
  timer.unref();
  return {
    runStarted: (i) => stream.write(started(i)),
    probeStarted: (p) => {
      running.set(p, performance.now());
      redraw();
    },
    probeFinished: (o, i, n) => {
      running.delete(o.probe);
      stream.write(`\r\x1b[2K${outcomeLine(o, i, n)}\n`);
      redraw();
    },
    message: (t) => stream.write(`\r\x1b[2Kttprobe: ${t}\n`),
    close: () => {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
