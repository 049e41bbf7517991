import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROCESS_MARK_VAR, findEscaped, newProcessMark } from './escaped.js';

const sleeper = (env: NodeJS.ProcessEnv = {}) => spawn('sleep', ['30'], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });

describe('findEscaped', () => {
  it('reads only processes born since the probe, and still finds the marked one among them', () => {
    const before = sleeper();
    const mark = newProcessMark();
    const marked = sleeper({ [PROCESS_MARK_VAR]: mark });
    try {
      // `before` was born first: a scan of what was born since it must reach `marked`.
      expect(findEscaped(mark, -1, { pid: before.pid!, at: performance.now() }).map((e) => e.pid)).toEqual([marked.pid]);
      expect(findEscaped(mark, -1).map((e) => e.pid)).toEqual([marked.pid]);
      expect(findEscaped(mark, marked.pid!)).toEqual([]);
    } finally {
      before.kill('SIGKILL');
      marked.kill('SIGKILL');
    }
  });
});
