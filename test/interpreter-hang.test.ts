import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, onlyRunDir, readRecord, tempDir, VENV_PYTHON } from './helpers.js';

// An interpreter (a wrapper script, a conda shim) that leaves a child holding its stdout open:
// every inspection of it must end, as a probe's output is drained after the probe exits.

function lingeringInterpreter(): string {
  const dir = tempDir('ttprobe-linger-');
  const python = path.join(dir, 'python');
  // The background sleep inherits stdout and stderr and outlives the interpreter.
  writeFileSync(python, `#!/bin/sh\nsleep 300 &\nexec '${VENV_PYTHON}' "$@"\n`);
  chmodSync(python, 0o755);
  return python;
}

/** The CLI, killed after two minutes so a hang fails this test, not the suite. */
const bounded = (args: string[]) =>
  execa('node', [CLI, ...args], { env: cleanEnv(), extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000, killSignal: 'SIGKILL' });

describe('an interpreter whose child keeps stdout open', () => {
  it('detect and run still finish, and the probe still runs with it', async () => {
    const python = lingeringInterpreter();
    const started = Date.now();
    const detect = await bounded(['detect', '--python', python, '--json']);
    expect(detect.timedOut, 'detect hung').toBe(false);
    expect(detect.exitCode, detect.stderr).toBe(0);
    expect(JSON.parse(detect.stdout).stacks['tt-xla'].interpreter).toMatchObject({ starts: true });

    const probesDir = tempDir();
    const dir = path.join(probesDir, 'needs-json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ id: 'needs-json', title: 't', stack: 'tt-xla', workload: 'fixture', command: ['python', 'probe.py'], needsDevice: false, requires: { modules: ['json'] } }));
    writeFileSync(path.join(dir, 'probe.py'), 'import json, os\njson.dump({"protocol": 1, "probe": "needs-json", "status": "skip", "skipReason": "nothing to do"}, open(os.environ["TTPROBE_RESULT_FILE"], "w"))\n');
    const runs = tempDir();
    const run = await bounded(['run', '--probes-dir', probesDir, '--runs-dir', runs, '--target', 'cpu', '--python', python, '--no-report']);
    expect(run.timedOut, 'run hung').toBe(false);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readRecord(onlyRunDir(runs)).outcomes[0]).toMatchObject({ probe: 'needs-json', status: 'skip' });
    expect((Date.now() - started) / 1000).toBeLessThan(100);
  });
});
