import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { ROOT, cleanEnv } from './helpers.js';

/** The README's first two commands, as a new user copies them. */
function readmeCommands(): string[] {
  const blocks = [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/```sh\n([^`]+)```/g)].map((m) => m[1]!.trim());
  return blocks.slice(0, 2);
}

describe('the README', () => {
  it('opens with the set-up-and-run command and the test command, which .ci/run calls', () => {
    const [main, tests] = readmeCommands();
    expect(main).toBe('bash scripts/setup.sh && node bin/ttprobe.js run');
    expect(tests).toBe('bash scripts/setup.sh --with-test-deps && npm test');
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('bash scripts/setup.sh --with-test-deps');
    expect(ci).toMatch(/^npm test$/m);
  });

  // The whole matrix is what this checks, so it runs whole: about 30 s on an idle 2-core machine, several
  // minutes on a busy one. The budget only stops a hang; how fast the matrix runs is bench/matrix.js's.
  it("first command's run step runs the whole matrix here and prints where the run record is", { timeout: 20 * 60_000 }, async () => {
    const [main] = readmeCommands();
    const runStep = main!.split('&&')[1]!.trim();
    const { stdout, exitCode } = await execa('bash', ['-c', runStep], { cwd: ROOT, env: cleanEnv(), extendEnv: false, reject: false });
    expect(exitCode).toBe(0);
    const recordPath = /^run record: (.+)$/m.exec(stdout)![1]!;
    try {
      const record = RunRecord.parse(JSON.parse(readFileSync(recordPath, 'utf8')));
      expect(record.state).toBe('complete');
      const status = Object.fromEntries(record.outcomes.map((o) => [o.probe, o.status]));
      expect(status).toMatchObject({
        'jax-dot': 'pass', 'cnn-flax': 'pass', 'bert-flax': 'pass', 'sd-flax': 'pass', 'sd-flax-as-user': 'pass',
        'dalle-mini': 'skip', 'ttmetal-matmul': 'skip', 'sd35-tt-metal': 'skip', 'bert-tt-metal': 'skip', 'resnet-tt-metal': 'skip',
      });
      for (const o of record.outcomes.filter((x) => x.status === 'pass')) expect(o.result!.placement!.platform).toBe('cpu');
      expect(stdout).toMatch(/^report: .*index\.html$/m);
    } finally {
      rmSync(path.dirname(recordPath), { recursive: true, force: true });
    }
  });
});
