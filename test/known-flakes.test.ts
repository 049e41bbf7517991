import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PROBES, ROOT, cleanEnv, cli, onlyRunDir, readRecord, tempDir } from './helpers.js';
import { VERDICTS, outcome, record, writeRun } from './run-records.js';

function flakesFile(flakes: unknown[]): string {
  const file = path.join(tempDir(), 'known-flakes.json');
  writeFileSync(file, JSON.stringify({ $schema: 'https://ttprobe.dev/schemas/known-flakes.schema.json', flakes }));
  return file;
}

const ARC = { probe: 'flaky', reason: 'first ARC message after boot times out', links: ['https://github.com/tenstorrent/tt-metal/issues/1'] };

describe('a known-flakes file', () => {
  it('is valid against its exported schema', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'known-flakes.schema.json'), 'utf8')));
    expect(validate({ flakes: [ARC, { pattern: 'sd-.*', tiers: ['n150'], reason: 'OOM now and then' }] }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ flakes: [{ probe: 'x' }] })).toBe(false);
  });

  it('makes run retry a known flake without --retries, and the outcome says it is a known flake', async () => {
    const runs = tempDir();
    const env = cleanEnv({ FIXTURE_MARK_DIR: tempDir() });
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'flaky', '--target', 'cpu', '--no-report', '--flakes', flakesFile([ARC])], env);
    expect(r.exitCode, r.stderr).toBe(0);
    const o = readRecord(onlyRunDir(runs)).outcomes[0]!;
    expect(o.status).toBe('pass');
    expect(o.attempts).toHaveLength(1);
    expect(o.notes).toContain(`known flake (${ARC.reason}): ${ARC.links[0]}`);
  });

  it('makes compare report a known flake’s change as flaky, not a regression', async () => {
    const dir = tempDir();
    const night = (runId: string, startedAt: string, status: keyof typeof VERDICTS) =>
      writeRun(dir, record({ runId, startedAt, outcomes: [outcome({ probe: 'sd-flax', ...VERDICTS[status] }), outcome({ probe: 'cnn-flax', ...VERDICTS[status] })] }));
    const base = night('night-1', '2026-11-01T01:00:00.000Z', 'pass');
    const next = night('night-2', '2026-11-02T01:00:00.000Z', 'crash');
    const flakes = flakesFile([{ pattern: 'sd-.*', tiers: ['n150'], reason: 'OOM now and then' }]);
    const r = await cli(['compare', base, next, '--json', '--flakes', flakes]);
    expect(r.exitCode).toBe(1);
    const kinds = Object.fromEntries(JSON.parse(r.stdout).changes.map((c: { probe: string; kind: string }) => [c.probe, c]));
    expect(kinds['sd-flax']).toMatchObject({ kind: 'flaky', detail: 'known flake (OOM now and then); was a regression' });
    expect(kinds['cnn-flax'].kind).toBe('regression');
    const blocked = JSON.parse(r.stdout).impact.flatMap((row: { blocked: Array<{ probes: string[] }> }) => row.blocked.flatMap((b) => b.probes));
    expect(blocked).toEqual(['cnn-flax']);
    const only = await cli(['compare', base, next, '--flakes', flakesFile([{ pattern: '.*-flax', reason: 'all of them' }])]);
    expect(only.exitCode, only.stdout).toBe(0);
  });

  it('is refused when it is malformed, naming the file and field', async () => {
    const bad = flakesFile([{ pattern: '(a+)+$', reason: 'catastrophic' }]);
    const r = await cli(['compare', tempDir(), tempDir(), '--flakes', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${bad}: field 'flakes.0.pattern'`);
    const neither = flakesFile([{ reason: 'no probe named' }]);
    const n = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', tempDir(), '--probe', 'pass', '--target', 'cpu', '--flakes', neither]);
    expect(n.exitCode).toBe(2);
    expect(n.stderr).toContain(`${neither}: field 'flakes.0'`);
  });
});
