import { describe, expect, it } from 'vitest';
import { plainProgress, ttyProgress } from './progress.js';
import type { Outcome } from '../../schemas/outcome.js';

const outcome = { probe: 'jax-dot', status: 'fail', durationS: 75, category: 'unsupported-op', reason: 'legalize failed' } as Outcome;

describe('progress', () => {
  it('prints plain lines for CI: one when a probe starts, one when it ends', () => {
    const lines: string[] = [];
    const p = plainProgress((s) => lines.push(s));
    p.runStarted!({ runDir: '/r', total: 2, target: 'cpu', tier: 'none' });
    p.probeStarted!('jax-dot', 1, 2);
    p.probeFinished!(outcome, 1, 2);
    expect(lines).toEqual([
      'ttprobe: running 2 probe(s) on JAX on CPU (reference) -> /r\n',
      '[1/2] jax-dot ...\n',
      '[1/2] jax-dot            fail           1m15s [unsupported-op]  legalize failed\n',
    ]);
  });

  it('redraws a live line with the running probes and their elapsed time on a TTY', async () => {
    let screen = '';
    const stream = { write: (s: string) => ((screen += s), true) } as unknown as NodeJS.WriteStream;
    const p = ttyProgress(stream);
    p.probeStarted!('sd-flax', 1, 1);
    // The line is redrawn every second; allow a busy machine some slack.
    for (let waited = 0; !/running: sd-flax [1-9]\.\ds/.test(screen) && waited < 5000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(screen).toMatch(/\r\x1b\[2Krunning: sd-flax [1-9]\.\ds/);
    p.probeFinished!({ ...outcome, probe: 'sd-flax' }, 1, 1);
    p.close!();
    expect(screen).toContain('[1/1] sd-flax');
    expect(screen.endsWith('\r\x1b[2K')).toBe(true);
  });
});
