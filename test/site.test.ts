import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { cli, tempDir } from './helpers.js';
import { XSS, legalize, writeRun, type Out } from './site-history.js';

let site: string;
let browser: Browser;
let stderr: string;

beforeAll(async () => {
  const runsDir = tempDir();
  const night = (d: number, tier: string, fw: string, outcomes: Out[], extra: Record<string, string> = {}) =>
    writeRun(runsDir, record({ runId: `n${d}-${tier}`, tier, startedAt: `2026-02-0${d}T01:00:00.000Z`, firmwareBundle: fw, outcomes, ...extra }));
  night(1, 'n150', '80.17.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', status: 'pass', census: legalize.census, executeS: 8 }),
    outcome({ probe: 'jax-dot', status: 'pass', executeS: 4, metrics: { matmul_gflops: 10 } }),
  ]);
  night(2, 'n150', '80.18.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize }),
    outcome({ probe: 'jax-dot', status: 'fail', reason: XSS, signature: 'sig-0123456789ab', evidence: [XSS] }),
  ]);
  night(3, 'n150', '80.18.0.0', [
    outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize, stages: { reached: ['import', 'setup', 'lower', 'compile'], last: 'compile', failedAt: 'compile', compiler: { marker: 'TTMLIR_COMPILATION_START', stage: 'tt-mlir' } } }),
    outcome({ probe: 'jax-dot', status: 'fail', reason: 'again', signature: 'sig-0123456789ab', evidence: [XSS] }),
  ]);
  night(3, 't3k', '80.18.0.0', [outcome({ probe: 'jax-dot', status: 'pass', executeS: 1, metrics: { matmul_gflops: 40 } })]);
  // Injection through a probe title, a workload and a version as well as reasons and log lines.
  night(4, 't3k', '80.18.0.0', [
    outcome({ probe: 'ttmetal-matmul', title: XSS, workload: `matmul${XSS}`, stack: 'tt-metal', status: 'crash', category: 'runtime-fatal', evidence: [XSS] }),
    outcome({ probe: 'bert-flax', workload: 'text-encoder', status: 'fail', signature: 'sig-0123456789ab', reason: 'same unknown failure' }),
  ], { ttMetal: XSS });
  mkdirSync(path.join(runsDir, 'corrupt'));
  writeFileSync(path.join(runsDir, 'corrupt', 'run.json'), '{"schemaVersion": 1, "runId": ');

  site = path.join(tempDir(), 'site');
  const result = await cli(['site', runsDir, '--out', site]);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/site: \d+ file\(s\) from 5 run\(s\) \(5 read, 0 from the cache\)/);
  stderr = result.stderr;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** A page in a browser without JavaScript: everything the site shows must work without it. */
async function open(page: string, javaScriptEnabled = false) {
  const context = await browser.newContext({ javaScriptEnabled });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`file://${path.join(site, page)}`);
  expect(errors).toEqual([]);
  return p;
}

type Page = Awaited<ReturnType<typeof open>>;
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
/** The grid's row of a workload, by its header's exact text (workloads are user text, even markup). */
const gridRow = (p: Page, workload: string) => p.locator('#support-grid tr.row').filter({ has: p.locator('th', { hasText: exactly(workload) }) });
const cell = (p: Page, workload: string, tier: string, stack: string) => gridRow(p, workload).locator(`td[data-tier="${tier}"][data-stack="${stack}"]`);

describe('ttprobe site: the front page grid', () => {
  it('leaves a corrupt run out, saying which', () => {
    expect(stderr).toMatch(/left out of the site: .*corrupt\/run\.json: not valid JSON/);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Runs left out');
  });

  it('has a column per system and stack, a row per workload, and the latest verdict in each cell', async () => {
    const page = await open('index.html');
    const headers = await page.locator('#support-grid thead tr').nth(1).locator('th').allInnerTexts();
    expect(headers).toEqual(['TT-XLA', 'tt-metal', 'TT-XLA', 'tt-metal']);
    expect(await page.locator('#support-grid thead tr').first().locator('th.system').allInnerTexts()).toEqual(['N150', 'T3K']);
    const cnn = cell(page, 'cnn', 'n150', 'tt-xla');
    await expect(cnn.locator('.badge').innerText()).resolves.toBe('fail');
    // Verified with: the stack's versions and the date, each version linking to its release page.
    await expect(cnn.locator('.verified').innerText()).resolves.toMatch(/fw 80\.18\.0\.0 · plugin 0\.1\.0 · 2026-02-03 01:00/);
    expect(await cnn.locator('.verified a').first().getAttribute('href')).toBe('releases/firmware-80.18.0.0.html');
    // On failure: the category, the layer and the decisive line.
    await expect(cnn.locator('.category').innerText()).resolves.toBe('unsupported-op · tt-mlir');
    await expect(cnn.locator('code.decisive').innerText()).resolves.toContain("failed to legalize operation 'stablehlo.reduce_window'");
    // How far it got, as the probe wrote it and TT-XLA's own bring-up stage said.
    await expect(cnn.locator('.stage').innerText()).resolves.toBe('failed at compile (TT-MLIR)');
    expect(await cell(page, 'cnn', 'n150', 'tt-xla').locator('.stage').count()).toBe(1);
    expect(await cell(page, 'matmul', 't3k', 'tt-xla').locator('.stage').count()).toBe(0);
    expect(await cnn.locator('a.probe').getAttribute('href')).toBe('probes/cnn-flax.html');
    expect(await cnn.locator('a.log').getAttribute('href')).toMatch(/n3-n150\/probes\/cnn-flax\/stderr\.log$/);
    await expect(cell(page, 'cnn', 't3k', 'tt-xla').innerText()).resolves.toContain('no probe');
    await expect(cell(page, 'matmul', 't3k', 'tt-xla').locator('.badge').innerText()).resolves.toBe('pass');
    await page.close();
  });

  it('draws a history strip per cell: one mark per night of that system, coloured by status', async () => {
    const page = await open('index.html');
    const classes = (c: ReturnType<typeof cell>) => c.locator('.strip .mark').evaluateAll((ms) => ms.map((m) => m.className));
    await expect(classes(cell(page, 'cnn', 'n150', 'tt-xla'))).resolves.toEqual(['mark is-pass', 'mark is-fail', 'mark is-fail']);
    // T3K ran twice; jax-dot only on the first of those nights.
    await expect(classes(cell(page, 'matmul', 't3k', 'tt-xla'))).resolves.toEqual(['mark is-pass', 'mark is-none']);
    const colours = await cell(page, 'cnn', 'n150', 'tt-xla').locator('.strip .mark').evaluateAll((ms) => ms.map((m) => getComputedStyle(m).backgroundColor));
    expect(colours).toEqual(['rgb(26, 127, 55)', 'rgb(207, 34, 46)', 'rgb(207, 34, 46)']);
    await expect(cell(page, 'cnn', 'n150', 'tt-xla').locator('.strip .mark').first().getAttribute('title')).resolves.toBe('2026-02-01 01:00: pass');
    await page.close();
  });

  it('sums up each stack on each system in one line', async () => {
    const page = await open('index.html');
    const lines = await page.locator('#summaries li').allInnerTexts();
    expect(lines).toEqual([
      'TT-XLA: 0 of 2 workloads pass on N150 (fw 80.18.0.0)',
      'TT-XLA: 1 of 2 workloads pass on T3K (fw 80.18.0.0)',
      'tt-metal: 0 of 1 workload pass on T3K (fw 80.18.0.0)',
    ]);
    await page.close();
  });

  it('filters by system, stack and status without JavaScript', async () => {
    const page = await open('index.html');
    const visible = (workload: string, tier: string, stack: string) => cell(page, workload, tier, stack).isVisible();
    const row = (workload: string) => gridRow(page, workload).isVisible();
    expect(await visible('cnn', 'n150', 'tt-xla')).toBe(true);
    await page.locator('label', { has: page.locator('#sys-t3k') }).click();
    expect(await visible('cnn', 'n150', 'tt-xla')).toBe(false);
    expect(await visible('matmul', 't3k', 'tt-xla')).toBe(true);
    await page.locator('label', { has: page.locator('#stk-tt-metal') }).click();
    expect(await visible('matmul', 't3k', 'tt-xla')).toBe(false);
    expect(await visible(`matmul${XSS}`, 't3k', 'tt-metal')).toBe(true);
    // Status: only failing entries, and only rows with a failure on what is shown.
    await page.locator('label', { has: page.locator('#stk-all') }).click();
    await page.locator('label', { has: page.locator('#st-fail') }).click();
    expect(await row('cnn')).toBe(false);
    expect(await row('matmul')).toBe(false);
    await page.locator('label', { has: page.locator('#sys-all') }).click();
    expect(await row('cnn')).toBe(true);
    expect(await row('matmul')).toBe(true);
    expect(await cell(page, 'matmul', 'n150', 'tt-xla').locator('.entry[data-probe="jax-dot"]').isVisible()).toBe(true);
    expect(await cell(page, 'matmul', 't3k', 'tt-xla').locator('.entry[data-probe="jax-dot"]').isVisible()).toBe(false);
    await page.locator('label', { has: page.locator('#st-crash') }).click();
    expect(await row('cnn')).toBe(false);
    expect(await row(`matmul${XSS}`)).toBe(true);
    await page.close();
  });

  it('ranks failures by how many workload x system x stack they block tonight', async () => {
    const page = await open('index.html');
    const rows = page.locator('#impact-table tbody tr');
    expect(await rows.count()).toBe(3);
    // The unknown failure blocks matmul on N150 and text-encoder on T3K: the most valuable to fix.
    await expect(rows.nth(0).innerText()).resolves.toMatch(/^1\s+sig-0123456789ab[\s\S]*\s2\s+n150 · tt-xla · matmul: jax-dot\s+t3k · tt-xla · text-encoder: bert-flax/);
    expect(await rows.nth(0).locator('a').getAttribute('href')).toBe('signatures/sig-0123456789ab.html');
    await expect(rows.nth(1).locator('td.blocks').innerText()).resolves.toBe('1');
    await expect(page.locator('#impact-table').innerText()).resolves.toMatch(/stablehlo-reduce-window-legalize[\s\S]*n150 · tt-xla · cnn: cnn-flax/);
    await page.close();
  });
});

describe('ttprobe site: history pages', () => {
  it('measures scaling against N150 where a probe passed on several systems', async () => {
    const page = await open('index.html');
    const row = page.locator('#scaling-table tr', { hasText: 'jax-dot' });
    await expect(row.innerText()).resolves.toMatch(/n150: 4\.00 s, 10\.00\/s, 1\.00x[\s\S]*t3k: 1\.00 s, 40\.00\/s, 4\.00x/);
    await page.close();
  });

  it('says where each known error was first seen, last seen and fixed, per system', async () => {
    const page = await open('index.html');
    const row = page.locator('#known-errors-table tr', { hasText: 'stablehlo-reduce-window-legalize' });
    await expect(row.innerText()).resolves.toMatch(/N150[\s\S]*cnn-flax[\s\S]*2026-02-02 01:00[\s\S]*fw 80\.18\.0\.0[\s\S]*2026-02-03 01:00[\s\S]*still failing/);
    await expect(row.innerText()).resolves.toContain('tt-mlir');
    await expect(row.locator('code.decisive').innerText()).resolves.toContain("failed to legalize operation 'stablehlo.reduce_window'");
    await expect(row.locator('a.upstream').first().getAttribute('href')).resolves.toBe('https://github.com/tenstorrent/tt-xla/issues/321');
    await page.close();
  });

  it('gives each probe its history with last-passing and first-failing versions, linked to release pages', async () => {
    const page = await open('probes/cnn-flax.html');
    const n150 = page.locator('#per-tier tr', { hasText: 'n150' });
    await expect(n150.innerText()).resolves.toMatch(/2026-02-01 01:00[\s\S]*fw 80\.17\.0\.0[\s\S]*2026-02-02 01:00[\s\S]*fw 80\.18\.0\.0/);
    expect(await n150.locator('a.release').first().getAttribute('href')).toBe('../releases/firmware-80.17.0.0.html');
    expect(await page.locator('#history tbody tr').count()).toBe(3);
    await expect(page.locator('#history tbody tr').first().innerText()).resolves.toMatch(/^2026-02-03 01:00\s+N150\s+fail unsupported-op/);
    await expect(page.locator('#releases').innerText()).resolves.toMatch(/fw 80\.17\.0\.0: passed 1 of 1 night[\s\S]*fw 80\.18\.0\.0: passed 0 of 2 night/);
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
    expect(await page.locator('#occurrences tbody tr').count()).toBe(3);
    await expect(page.locator('#occurrences tbody tr').first().innerText()).resolves.toMatch(/^2026-02-04 01:00\s+T3K\s+bert-flax/);
    await expect(page.locator('#occurrences').innerText()).resolves.toContain('<script>window.__pwned=2</script>');
    await page.close();
  });

  it('runs no script injected through titles, workloads, reasons, versions or log lines, on any page', async () => {
    const pages = readdirSync(site, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const file of pages) {
      // JavaScript on here: an injected script would run.
      const page = await open(file, true);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), file).toBeUndefined();
      expect(await page.locator('img[src="x"]').count(), file).toBe(0);
      expect(await page.locator('script').count(), file).toBe(0);
      await page.close();
    }
    const probe = await open('probes/ttmetal-matmul.html');
    await expect(probe.locator('h1').innerText()).resolves.toContain(XSS);
    await probe.close();
    const index = await open('index.html');
    await expect(cell(index, `matmul${XSS}`, 't3k', 'tt-metal').locator('.verified').innerText()).resolves.toContain(`tt-metal ${XSS}`);
    await index.close();
  });

  it('exits 2 for a runs directory that does not exist', async () => {
    const r = await cli(['site', '/nonexistent/runs', '--out', path.join(tempDir(), 's')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('/nonexistent/runs');
  });
});
