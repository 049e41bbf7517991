import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/classify/catalog.js';
import { runMatrix } from '../src/run/orchestrate/run-matrix.js';
import { writeReports } from '../src/report/write-reports.js';
import { RunRecord } from '../src/schemas/run-record.js';
import { FIXTURE_PROBES, VENV_PYTHON, cleanEnv, cli, fakeDevice, tempDir } from './helpers.js';

let runDir: string;
let record: RunRecord;
let browser: Browser;
const PROBES = ['pass', 'fail-legalize', 'hostile-output', 'cpu-placed', 'artifacts', 'needs-env', 'segfault'];

beforeAll(async () => {
  ({ runDir, record } = await runMatrix({
    probesDir: FIXTURE_PROBES,
    runsDir: tempDir(),
    python: VENV_PYTHON,
    device: fakeDevice('tt'),
    catalog: await loadCatalog(),
    filters: { probe: PROBES, stack: [], tag: [] },
    env: cleanEnv(),
    lockDir: tempDir(),
  }));
  await writeReports(runDir, record, { formats: ['html', 'md', 'json', 'junit'] });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
});

const report = (name: string) => path.join(runDir, 'report', name);

describe('the HTML report in a real browser', () => {
  it('ranks failure reasons by how many workloads they block, as the Markdown does', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${report('index.html')}`);
    const rows = page.locator('#impact-table tbody tr');
    const failing = record.outcomes.filter((o) => ['fail', 'crash', 'timeout', 'cpu-fallback'].includes(o.status));
    expect(failing.length).toBeGreaterThan(1);
    const legalize = failing.find((o) => o.probe === 'fail-legalize')!;
    await expect(page.locator('#impact-table').innerText()).resolves.toContain(legalize.ruleId ?? legalize.signature!);
    const blocks = (await rows.locator('td:nth-child(2)').allInnerTexts()).map(Number);
    expect(blocks).toEqual([...blocks].sort((a, b) => b - a));
    expect(blocks.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(new Set(failing.map((o) => `${o.stack} ${o.workload}`)).size);
    expect(readFileSync(report('report.md'), 'utf8')).toContain('## Impact: which failure blocks most');
    await page.close();
  });

  it('renders probe output as text: no injected script runs', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${report('index.html')}`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    const text = await page.locator('#probe-hostile-output').innerText();
    expect(text).toContain('<img src=x onerror="window.__pwned=2">');
    await page.close();
  });

  it('shows the support matrix with a row per workload, a column per stack, and the reasons', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${report('index.html')}`);
    const matrix = page.locator('#matrix');
    expect(await matrix.locator('thead th').allInnerTexts()).toEqual(['Workload', 'TT-XLA', 'tt-metal']);
    expect(await matrix.locator('tbody tr').count()).toBe(2);
    const fixtureRow = matrix.locator('tbody tr', { hasText: 'fixture' }).first();
    expect(await fixtureRow.locator('td[data-stack="tt-xla"] .badge').allInnerTexts()).toEqual(
      expect.arrayContaining(['pass', 'fail', 'cpu-fallback', 'crash']),
    );
    await expect(fixtureRow.innerText()).resolves.toContain('An unsupported variant of StableHLO reduce_window (TT-MLIR converts the op, not this form of it): stablehlo.reduce_window');
    const artRow = matrix.locator('tbody tr', { hasText: 'fixture-art' });
    await expect(artRow.locator('td[data-stack="tt-xla"]').innerText()).resolves.toContain('no probe on TT-XLA');
    const shot = await matrix.screenshot({ path: path.join(runDir, 'report', 'matrix.png') });
    expect(shot.length).toBeGreaterThan(5_000);
    const box = await matrix.boundingBox();
    expect(box!.height).toBeGreaterThan(100);
    await page.close();
  });

  it('shows image artifacts inline from file://', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${report('index.html')}`);
    const img = page.locator('#probe-artifacts img.artifact');
    await expect(img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).resolves.toBe(64);
    await page.close();
  });
});

describe('machine-readable reports', () => {
  it('JUnit XML parses, with one testcase per probe and failures carrying category and reason', () => {
    const xml = readFileSync(report('junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat();
    const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Array<Record<string, unknown>>;
    expect(cases.map((c) => c.name).sort()).toEqual([...PROBES].sort());
    const legalize = cases.find((c) => c.name === 'fail-legalize') as { failure: { type: string; message: string } };
    expect(legalize.failure.type).toBe('unsupported-op');
    expect(legalize.failure.message).toContain('stablehlo.reduce_window');
    expect(cases.find((c) => c.name === 'needs-env')).toHaveProperty('skipped');
    expect(cases.find((c) => c.name === 'pass')).not.toHaveProperty('failure');
  });

  it('Markdown keeps its tables intact and its HTML escaped', () => {
    const md = readFileSync(report('report.md'), 'utf8');
    const rows = md.split('\n').filter((l) => l.startsWith('| fixture'));
    expect(rows).toHaveLength(2);
    expect(rows.join()).toContain('_no probe_');
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
    // Log text only ever appears inside code spans (which Markdown renders literally) or escaped.
    const outsideCode = md.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/<script|<img src/);
    expect(md).toContain('`RuntimeError: <img src=x onerror="window.__pwned=2"> Error code: 13`');
    expect(md).toContain('stablehlo.reduce_window');
  });

  it('JSON is the schema-valid run record', () => {
    expect(RunRecord.parse(JSON.parse(readFileSync(report('report.json'), 'utf8'))).outcomes).toHaveLength(PROBES.length);
  });

  it('ttprobe report re-renders a stored run into another folder, and refuses an unknown format', async () => {
    const out = tempDir();
    const ok = await cli(['report', runDir, '--format', 'md,junit', '--out', out]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([path.join(out, 'report.md'), path.join(out, 'junit.xml')]);
    const bad = await cli(['report', runDir, '--format', 'pdf']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unknown report format(s): pdf');
  });
});
