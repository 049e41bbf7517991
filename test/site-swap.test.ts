import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { FIXTURES, cleanEnv, cli, tempDir } from './helpers.js';

/** Every file under `dir` with its content. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

function addNight(runsDir: string, runId: string, probe: string) {
  const r = record({ runId, startedAt: '2026-02-01T01:00:00.000Z', outcomes: [outcome({ probe, status: 'pass' })] });
  mkdirSync(path.join(runsDir, r.runId));
  writeFileSync(path.join(runsDir, r.runId, 'run.json'), JSON.stringify(r));
}

describe('ttprobe site when the final rename of the swap fails', () => {
  it('puts the previous site back, exits non-zero saying so, and leaves no staging folder', async () => {
    const runsDir = tempDir();
    addNight(runsDir, 'n1-n150', 'jax-dot');
    const out = path.join(tempDir(), 'www');
    expect((await cli(['site', runsDir, '--out', out])).exitCode).toBe(0);
    const before = filesOf(out);
    expect(before['index.html']).toContain('jax-dot');

    addNight(runsDir, 'n2-n150', 'cnn-flax');
    const failing = cleanEnv({ NODE_OPTIONS: `--import=${path.join(FIXTURES, 'faults', 'fail-site-swap.mjs')}` });
    const r = await cli(['site', runsDir, '--out', out], failing);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`ttprobe: error: could not swap the new site into ${out}: EIO: i/o error, rename`);
    expect(r.stderr).toContain('the previous site is back in place');
    expect(filesOf(out)).toEqual(before);
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['www']);

    // The fault was the only thing wrong: without it the next build goes through.
    expect((await cli(['site', runsDir, '--out', out])).exitCode).toBe(0);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('cnn-flax');
  });

  it('when the previous site cannot be put back either, keeps it aside and restores it on the next build', async () => {
    const runsDir = tempDir();
    addNight(runsDir, 'n1-n150', 'jax-dot');
    const out = path.join(tempDir(), 'www');
    expect((await cli(['site', runsDir, '--out', out])).exitCode).toBe(0);
    const before = filesOf(out);

    addNight(runsDir, 'n2-n150', 'cnn-flax');
    const fault = `--import=${path.join(FIXTURES, 'faults', 'fail-site-swap.mjs')}`;
    const both = await cli(['site', runsDir, '--out', out], cleanEnv({ NODE_OPTIONS: fault, FAIL_SITE_RESTORE: '1' }));
    expect(both.exitCode).not.toBe(0);
    const kept = readdirSync(path.dirname(out)).filter((n) => n.startsWith('www.previous-'));
    expect(kept).toHaveLength(1);
    expect(both.stderr).toContain(`is kept at ${path.join(path.dirname(out), kept[0])}`);
    expect(filesOf(path.join(path.dirname(out), kept[0]))).toEqual(before);

    // The next build finds the only copy of the old site and puts it back before anything else; its own
    // swap failing again then leaves that old site in place, not nothing.
    const again = await cli(['site', runsDir, '--out', out], cleanEnv({ NODE_OPTIONS: fault }));
    expect(again.exitCode).not.toBe(0);
    expect(filesOf(out)).toEqual(before);
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['www']);
  });
});
