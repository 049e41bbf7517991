import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { cli, tempDir } from './helpers.js';

let site: string;
let browser: Browser;
let stderr: string;

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const legalize = {
  status: 'fail', category: 'unsupported-op', layer: 'tt-mlir', ruleId: 'stablehlo-reduce-window-legalize', details: { op: 'stablehlo.reduce_window' },
  evidence: ["loc(\"reduce-window.14\"): error: failed to legalize operation 'stablehlo.reduce_window'"],
  reason: 'StableHLO reduce_window cannot be legalized to TTIR: stablehlo.reduce_window',
  census: { 'stablehlo.reduce_window': 2, 'stablehlo.convolution': 2 },
};

function writeRun(runsDir: string, r: ReturnType<typeof record>) {
  mkdirSync(path.join(runsDir, r.runId), { recursive: true });
  writeFileSync(path.join(runsDir, r.runId, 'run.json'), JSON.stringify(r));
}

beforeAll(async () => {
  const runsDir = tempDir();
  const night = (d: number, tier: string, fw: string, outcomes: ReturnType<typeof outcome>[]) =>
    writeRun(runsDir, record({ runId: `n${d}-${tier}`, tier, startedAt: `2026-02-0${d}T01:00:00.000Z`, firmwareBundle: fw, outcomes }));
  night(1, 'n150', '80.17.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', status: 'pass', census: legalize.census, executeS: 8 }),
    outcome({ probe: 'jax-dot', status: 'pass', executeS: 4, metrics: { matmul_gflops: 10 } }),
  ]);
  night(2, 'n150', '80.18.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize }),
    outcome({ probe: 'jax-dot', status: 'fail', reason: XSS, signature: 'sig-0123456789ab', evidence: [XSS] }),
  ]);
  night(3, 'n150', '80.18.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize }),
    outcome({ probe: 'jax-dot', status: 'fail', reason: 'again', signature: 'sig-0123456789ab' }),
  ]);
  night(3, 't3k', '80.18.0.0', [outcome({ probe: 'jax-dot', status: 'pass', executeS: 1, metrics: { matmul_gflops: 40 } })]);
  night(4, 't3k', '80.18.0.0', [outcome({ probe: 'ttmetal-matmul', stack: 'tt-metal', status: 'pass' })]);
  mkdirSync(path.join(runsDir, 'corrupt'));
  writeFileSync(path.join(runsDir, 'corrupt', 'run.json'), '{"schemaVersion": 1, "runId": ');

  site = path.join(tempDir(), 'site');
  const result = await cli(['site', runsDir, '--out', site]);
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(/site: \d+ page\(s\) from 5 run\(s\)/);
  stderr = result.stderr;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
});

async function open(page: string) {
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`file://${path.join(site, page)}`);
  expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(errors).toEqual([]);
  return p;
}

describe('ttprobe site', () => {
  it('leaves a corrupt run out, saying which', () => {
    expect(stderr).toMatch(/left out of the site: .*corrupt\/run\.json: not valid JSON/);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Runs left out');
  });

  it('shows the latest status per system, workload and stack', async () => {
    const page = await open('index.html');
    const n150 = page.locator('table.latest[data-tier="n150"]');
    await expect(n150.locator('tr', { hasText: 'cnn' }).locator('td[data-stack="tt-xla"]').innerText()).resolves.toMatch(/fail\s+cnn-flax/);
    await expect(n150.locator('tr', { hasText: 'matmul' }).locator('td[data-stack="tt-metal"]').innerText()).resolves.toContain('no probe on tt-metal');
    const t3k = page.locator('table.latest[data-tier="t3k"]');
    await expect(t3k.locator('tr', { hasText: 'matmul' }).innerText()).resolves.toMatch(/pass\s+jax-dot[\s\S]*pass\s+ttmetal-matmul/);
    expect(await page.locator('svg.chart polyline').count()).toBe(6);
    await page.close();
  });

  it('measures scaling against N150 where a probe passed on several systems', async () => {
    const page = await open('index.html');
    const row = page.locator('#scaling-table tr', { hasText: 'jax-dot' });
    await expect(row.innerText()).resolves.toMatch(/n150: 4\.00 s, 10\.00\/s, 1\.00x[\s\S]*t3k: 1\.00 s, 40\.00\/s, 4\.00x/);
    await page.close();
  });

  it('says where each known error was first seen, last seen and fixed, per system', async () => {
    const page = await open('index.html');
    const row = page.locator('#known-errors-table tr', { hasText: 'stablehlo-reduce-window-legalize' });
    await expect(row.innerText()).resolves.toMatch(/n150[\s\S]*cnn-flax[\s\S]*2026-02-02 01:00[\s\S]*fw 80\.18\.0\.0[\s\S]*2026-02-03 01:00[\s\S]*still failing/);
    // The verdict carries its layer, decisive line and upstream issue.
    await expect(row.innerText()).resolves.toContain('tt-mlir');
    await expect(row.locator('code.decisive').innerText()).resolves.toContain("failed to legalize operation 'stablehlo.reduce_window'");
    await expect(row.locator('a.upstream').first().getAttribute('href')).resolves.toBe('https://github.com/tenstorrent/tt-xla/issues/321');
    await page.close();
  });

  it('gives each probe its history with last-passing and first-failing versions', async () => {
    const page = await open('probes/cnn-flax.html');
    const n150 = page.locator('#per-tier tr', { hasText: 'n150' });
    await expect(n150.innerText()).resolves.toMatch(/2026-02-01 01:00[\s\S]*fw 80\.17\.0\.0[\s\S]*2026-02-02 01:00[\s\S]*fw 80\.18\.0\.0/);
    expect(await page.locator('#history tbody tr').count()).toBe(3);
    await page.close();
  });

  it('gives each op a page: its probes, its catalog entry and where it failed', async () => {
    const page = await open('ops/stablehlo.reduce_window.html');
    await expect(page.locator('body').innerText()).resolves.toContain('stablehlo-reduce-window-legalize');
    expect(await page.locator('#op-probes tbody tr').count()).toBe(1);
    expect(await page.locator('#op-failures tbody tr').count()).toBe(2);
    await page.close();
  });

  it('gives each unknown signature a page with every run it appeared in, escaping the logs', async () => {
    const page = await open('signatures/sig-0123456789ab.html');
    expect(await page.locator('#occurrences tbody tr').count()).toBe(2);
    await expect(page.locator('#occurrences').innerText()).resolves.toContain('<script>window.__pwned=2</script>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.close();
  });

  it('exits 2 for a runs directory that does not exist', async () => {
    const r = await cli(['site', '/nonexistent/runs', '--out', path.join(tempDir(), 's')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('/nonexistent/runs');
  });
});
