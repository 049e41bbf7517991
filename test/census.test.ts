import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../src/schemas/outcome.js';
import { cli, onlyRunDir, readRecord, tempDir } from './helpers.js';

// One CPU run of both sd-flax variants serves every assertion here: the machine is shared and slow.
let runDir: string;
let runsDir: string;
let outcomes: Map<string, Outcome>;
let browser: Browser;

beforeAll(async () => {
  runsDir = tempDir();
  const r = await cli(['run', '--probe', 'sd-flax,sd-flax-as-user', '--target', 'cpu', '--size', 'tiny', '--runs-dir', runsDir]);
  expect(r.exitCode, r.stderr).toBe(0);
  runDir = onlyRunDir(runsDir);
  outcomes = new Map(readRecord(runDir).outcomes.map((o) => [o.probe, o]));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 900_000);
afterAll(async () => {
  await browser?.close();
});

const probeOut = (id: string, file: string) => path.join(runDir, 'probes', id, 'out', file);

describe('the op census of everything a probe compiles', () => {
  it('files the scheduler setup of sd-flax under setup, on the host CPU, and predicts reduce_window there', () => {
    const o = outcomes.get('sd-flax')!;
    expect(o.status).toBe('pass');
    expect(o.result!.details.setup).toBe('host');
    const phases = o.result!.censusPhases;
    expect(phases.map((p) => [p.phase, p.placement])).toEqual([['setup', 'cpu'], ['workload', 'target'], ['reference', 'cpu']]);
    const setup = phases[0]!;
    // Eager calls outside any jit lower modules of their own: the scheduler's jnp.cumprod is one.
    const cumprod = setup.modules.find((m) => m.name === 'jit_cumprod')!;
    expect(cumprod.ops['stablehlo.reduce_window']).toBe(1);
    expect(readFileSync(probeOut('sd-flax', cumprod.file!), 'utf8')).toMatch(/^module @jit_cumprod/);
    const step = phases[1]!.modules.map((m) => m.name);
    expect(step).toEqual(['jit_denoise_step']);
    expect(phases[1]!.modules[0]!.ops['stablehlo.convolution']).toBeGreaterThan(10);
    expect(phases[1]!.modules[0]!.ops['stablehlo.reduce_window']).toBeUndefined();
    expect(o.predicted).toEqual([
      { op: 'stablehlo.reduce_window', ruleId: 'stablehlo-reduce-window-legalize', count: 1, phase: 'setup', placement: 'cpu', modules: ['jit_cumprod'], confirmed: null, basis: 'catalog', evidence: null },
    ]);
    // The flat census (kept for older readers) is every phase but the CPU reference.
    const setupAndStep = [...phases[0]!.modules, ...phases[1]!.modules].reduce((n, m) => n + (m.ops['stablehlo.convolution'] ?? 0), 0);
    expect(o.result!.census['stablehlo.convolution']).toBe(setupAndStep);
  });

  it('runs the as-user variant setup on the default device, as a FlaxStableDiffusionPipeline script does', () => {
    const o = outcomes.get('sd-flax-as-user')!;
    expect(o.status).toBe('pass');
    expect(o.result!.details.setup).toBe('default');
    expect(o.result!.censusPhases[0]).toMatchObject({ phase: 'setup', placement: 'default' });
    expect(o.predicted).toEqual([expect.objectContaining({ op: 'stablehlo.reduce_window', phase: 'setup', placement: 'default', modules: ['jit_cumprod'] })]);
  });

  it('shows the census by phase and each prediction with its phase in the Markdown and HTML reports', async () => {
    const md = readFileSync(path.join(runDir, 'report', 'report.md'), 'utf8');
    expect(md).toContain(
      '- Predicted to fail on TT-XLA: stablehlo.reduce_window (1x, stablehlo-reduce-window-legalize) in setup (jit_cumprod), run on the host CPU, by the probe\'s choice; from the catalog',
    );
    expect(md).toMatch(/- Census, setup \(\d+ modules, run on the host CPU, by the probe's choice\): [\s\S]*?\*\*stablehlo\.reduce_window\*\* 1/);
    expect(md).toMatch(/- Census, workload \(1 module, run on the target devices\): [\s\S]*?stablehlo\.convolution \d+/);
    expect(md).toContain("_predicted to fail on TT-XLA: stablehlo.reduce_window (setup)_");

    const page = await browser.newPage();
    await page.goto(`file://${path.join(runDir, 'report', 'index.html')}`);
    const section = page.locator('#probe-sd-flax');
    await expect(section.locator('.predictions li').innerText()).resolves.toContain('in setup (jit_cumprod)');
    const setup = section.locator('details.census-phase[data-phase="setup"]');
    await expect(setup.locator('summary').innerText()).resolves.toMatch(/^setup: \d+ ops in \d+ modules, run on the host CPU/);
    await expect(setup.locator('.census-modules code.predicted').first().innerText()).resolves.toBe('jit_cumprod');
    await expect(setup.locator('.census-ops code.predicted').innerText()).resolves.toBe('stablehlo.reduce_window');
    const href = await setup.locator('a', { hasText: 'jit_cumprod' }).getAttribute('href');
    expect(existsSync(path.resolve(runDir, 'report', href!))).toBe(true);
    await expect(section.locator('details.census-phase[data-phase="workload"] code.predicted').count()).resolves.toBe(0);
    await page.close();
  });

  it("puts the phases and modules on the site's op page", async () => {
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', runsDir, '--out', site])).exitCode).toBe(0);
    const page = await browser.newPage();
    await page.goto(`file://${path.join(site, 'ops', 'stablehlo.reduce_window.html')}`);
    const rows = page.locator('#op-probes tbody tr');
    expect(await rows.count()).toBe(2);
    const asUser = page.locator('#op-probes tr', { hasText: 'sd-flax-as-user' });
    await expect(asUser.innerText()).resolves.toMatch(/setup\s+default device \(as a user runs it\)\s+jit_cumprod\s+1\s+predicted to fail on TT-XLA/);
    const host = rows.filter({ hasNotText: 'as-user' });
    await expect(host.innerText()).resolves.toMatch(/sd-flax\s+setup\s+host CPU\s+jit_cumprod/);
    await page.close();
  });

  it('still reads and reports a run recorded before the census had phases', async () => {
    const old = path.join(tempDir(), 'old-run');
    cpSync(runDir, old, { recursive: true });
    const file = path.join(old, 'run.json');
    const record = JSON.parse(readFileSync(file, 'utf8'));
    for (const o of record.outcomes) {
      delete o.result.censusPhases;
      o.predicted = o.predicted.map(({ op, ruleId, count, confirmed }: Outcome['predicted'][number]) => ({ op, ruleId, count, confirmed }));
    }
    writeFileSync(file, JSON.stringify(record));
    const r = await cli(['report', old, '--format', 'md', '--out', path.join(old, 'again')]);
    expect(r.exitCode, r.stderr).toBe(0);
    const md = readFileSync(path.join(old, 'again', 'report.md'), 'utf8');
    expect(md).toContain('- Predicted to fail on TT-XLA: stablehlo.reduce_window (1x, stablehlo-reduce-window-legalize); from the catalog\n');
    expect(md).toMatch(/- Census, program \(recorded before the census had phases\): [\s\S]*?\*\*stablehlo\.reduce_window\*\* 1/);
  });
});
