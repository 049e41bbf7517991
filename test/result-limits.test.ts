import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRecord } from '../src/schemas/run-record.js';
import { cleanEnv, cli, FIXTURE_PROBES, onlyRunDir, readRecord, tempDir } from './helpers.js';

describe('a result file beyond the protocol limits', () => {
  it('is a protocol failure with the reason, the run goes on, and nothing huge is copied into journal, record or report', async () => {
    const runs = tempDir();
    const r = await cli(['run', '--probes-dir', FIXTURE_PROBES, '--runs-dir', runs, '--probe', 'deep-result,huge-result,pass', '--target', 'cpu'], cleanEnv());
    expect(r.stderr).not.toContain('internal error');
    expect(r.exitCode).toBe(0);
    const runDir = onlyRunDir(runs);
    const record = readRecord(runDir);
    expect(record.state).toBe('complete');
    const byId = new Map(record.outcomes.map((o) => [o.probe, o]));
    expect(byId.get('deep-result')).toMatchObject({ status: 'fail', result: null, resultProblem: 'result file nests deeper than 64 levels' });
    expect(byId.get('deep-result')!.reason).toContain('result file nests deeper than 64 levels');
    expect(byId.get('huge-result')).toMatchObject({ status: 'fail', result: null });
    expect(byId.get('huge-result')!.resultProblem).toMatch(/^result file is 3\d{6} bytes, over the limit of 1048576$/);
    expect(byId.get('pass')!.status).toBe('pass');
    for (const file of ['journal.jsonl', 'run.json', 'report/report.json', 'report/index.html']) {
      expect(statSync(path.join(runDir, file)).size, file).toBeLessThan(256 * 1024);
    }
  });
});
