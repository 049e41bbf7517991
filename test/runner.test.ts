import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../src/classify/catalog.js';
import { runMatrix } from '../src/run/orchestrate/run-matrix.js';
import { readRunRecord } from '../src/record/run-record.js';
import { RunRecord } from '../src/schemas/run-record.js';
import type { Outcome } from '../src/schemas/outcome.js';
import { alive, cleanEnv, fakeDevice, FIXTURE_PROBES, readRecord, tempDir, VENV_PYTHON } from './helpers.js';

let catalog: LoadedCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

async function run(probes: string[], target: 'tt' | 'cpu' = 'cpu', extra: Partial<Parameters<typeof runMatrix>[0]> = {}) {
  const result = await runMatrix({
    probesDir: FIXTURE_PROBES,
    runsDir: tempDir(),
    python: VENV_PYTHON,
    device: fakeDevice(target),
    catalog,
    filters: { probe: probes, stack: [], tag: [] },
    graceSeconds: 1,
    env: cleanEnv(),
    lockDir: tempDir(),
    ...extra,
  });
  const byId = new Map<string, Outcome>(result.record.outcomes.map((o) => [o.probe, o]));
  return { ...result, byId, one: (id: string) => byId.get(id)! };
}


describe('runner: each kind of probe ends as the right outcome', () => {
  it('passes, fails with a classified reason, and records a valid run', async () => {
    const { runDir, one, record } = await run(['pass', 'fail-legalize']);
    expect(one('pass')).toMatchObject({ status: 'pass', exitCode: 0, reason: 'ok on cpu' });
    expect(one('fail-legalize')).toMatchObject({
      status: 'fail',
      category: 'unsupported-op',
      layer: 'tt-mlir',
      ruleId: 'stablehlo-reduce-window-legalize',
      details: { op: 'stablehlo.reduce_window' },
      exitCode: 1,
    });
    expect(readFileSync(path.join(runDir, one('fail-legalize').logs.stdout), 'utf8')).toBe('compiling\n');
    expect(record.state).toBe('complete');
    expect(() => readRecord(runDir)).not.toThrow();
    expect((await readRunRecord(runDir)).outcomes).toHaveLength(2);
  });

  it('kills a probe that ignores SIGTERM, and its grandchild, at the timeout', async () => {
    const started = Date.now();
    const { runDir, one } = await run(['hang']);
    const o = one('hang');
    expect(o).toMatchObject({ status: 'timeout', category: 'timeout', signal: 'SIGKILL' });
    expect(o.reason).toContain('no result within 2s');
    expect(Date.now() - started).toBeLessThan(15_000);
    const pid = Number(readFileSync(path.join(runDir, 'probes', 'hang', 'out', 'grandchild.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });

  it('fails a probe that exits 0 without a result, or writes malformed or too-new results', async () => {
    const { one } = await run(['no-result', 'malformed-result', 'newer-protocol', 'lying-pass']);
    expect(one('no-result')).toMatchObject({ status: 'fail', resultProblem: 'probe wrote no result file' });
    expect(one('no-result').reason).toContain('exited 0 but probe wrote no result file');
    expect(one('malformed-result')).toMatchObject({ status: 'fail' });
    expect(one('malformed-result').resultProblem).toMatch(/not valid JSON/);
    expect(one('newer-protocol').resultProblem).toBe('result protocol 7 is newer than this harness reads (1)');
    expect(one('newer-protocol').status).toBe('fail');
    expect(one('lying-pass')).toMatchObject({ status: 'fail', exitCode: 3 });
    expect(one('lying-pass').reason).toContain('result claims pass but the process exited with 3');
  });

  it('records a segfault as a crash with its signal', async () => {
    const { one } = await run(['segfault']);
    expect(one('segfault')).toMatchObject({ status: 'crash', signal: 'SIGSEGV', ruleId: 'segfault' });
  });

  it('never calls a CPU computation a pass when TT was asked for', async () => {
    const { one } = await run(['cpu-placed', 'pass'], 'tt');
    expect(one('cpu-placed')).toMatchObject({ status: 'cpu-fallback', details: { platform: 'cpu', device: 'TFRT_CPU_0' } });
    expect(one('cpu-placed').reason).toBe('asked for tt, but the output lived on TFRT_CPU_0 (cpu)');
    expect(one('pass').status).toBe('pass');
  });

  it('checks census predictions against what happened on TT hardware', async () => {
    const { one } = await run(['census-fail', 'census-pass'], 'tt');
    expect(one('census-fail')).toMatchObject({ status: 'fail', category: 'unsupported-op' });
    // A flat census, as probes wrote before phases: one prediction per op, with no phase.
    expect(one('census-fail').predicted).toEqual([{ op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 2, phase: null, placement: null, modules: [], confirmed: true, basis: 'catalog', evidence: null }]);
    expect(one('census-pass').predicted[0]!.confirmed).toBe(false);
    const cpu = await run(['census-pass'], 'cpu');
    expect(cpu.one('census-pass').predicted[0]!.confirmed).toBeNull();
  });

  it('predicts per census phase: a host-CPU setup was not tried on TT, the reference predicts nothing', async () => {
    const { one } = await run(['census-phases'], 'tt');
    expect(one('census-phases').predicted).toEqual([
      { op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 1, phase: 'setup', placement: 'cpu', modules: ['jit_cumprod'], confirmed: null, basis: 'catalog', evidence: null },
      { op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 2, phase: 'workload', placement: 'target', modules: ['jit_step'], confirmed: true, basis: 'catalog', evidence: null },
    ]);
  });

  it('drops artifacts outside the probe folder', async () => {
    const { one } = await run(['escape-artifact']);
    expect(one('escape-artifact').result!.artifacts.map((a) => a.path)).toEqual(['ok.txt']);
    expect(one('escape-artifact').notes.join()).toContain("artifact '../../../../etc/passwd' dropped");
  });

  it('refuses, before any probe runs, an interpreter that does not exist', async () => {
    const runsDir = tempDir();
    await expect(run(['pass'], 'cpu', { python: '/nonexistent/python3', runsDir })).rejects.toThrow(
      "the tt-xla stack's interpreter /nonexistent/python3 does not exist",
    );
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('says so when the probe command cannot be started at all', async () => {
    const probesDir = tempDir();
    mkdirSync(path.join(probesDir, 'no-program'));
    writeFileSync(
      path.join(probesDir, 'no-program', 'probe.json'),
      JSON.stringify({ id: 'no-program', title: 'names a program that is not there', stack: 'tt-xla', workload: 'fixture', command: ['/nonexistent/tool'], needsDevice: false }),
    );
    const { one } = await run(['no-program'], 'cpu', { probesDir });
    expect(one('no-program')).toMatchObject({ status: 'fail', category: 'environment', layer: 'harness' });
    expect(one('no-program').reason).toMatch(/^could not start the probe: .*\/nonexistent\/tool/);
  });

  it('gives an unknown failure a signature', async () => {
    const { one } = await run(['unknown-failure']);
    expect(one('unknown-failure')).toMatchObject({ status: 'fail', category: 'unknown', ruleId: null });
    expect(one('unknown-failure').signature).toMatch(/^sig-[0-9a-f]{12}$/);
  });

  it('skips, without starting it, a probe whose module or variable is missing, and says which', async () => {
    const { one } = await run(['needs-env']);
    expect(one('needs-env')).toMatchObject({
      status: 'skip',
      category: 'missing-dependency',
      reason: 'missing Python module(s): ttprobe_no_such_module; environment variable(s) not set: TTPROBE_FIXTURE_UNSET',
    });
  });

  it('runs probes that need no device in parallel with --jobs', async () => {
    const started = Date.now();
    const { one } = await run(['free-a', 'free-b'], 'cpu', { jobs: 2 });
    expect(one('free-a').status).toBe('pass');
    expect(one('free-b').status).toBe('pass');
    const [a, b] = [one('free-a'), one('free-b')].map((o) => Date.parse(o.startedAt));
    expect(Math.abs(a! - b!)).toBeLessThan(900);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps logs with control bytes and invalid UTF-8 byte for byte', async () => {
    const { runDir, one } = await run(['hostile-output']);
    const raw = readFileSync(path.join(runDir, one('hostile-output').logs.stdout));
    expect(raw.includes(Buffer.from([0x00, 0xff, 0xfe]))).toBe(true);
    expect(existsSync(path.join(runDir, 'journal.jsonl'))).toBe(true);
  });
});
