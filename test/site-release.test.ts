import path from 'node:path';
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { cli, tempDir } from './helpers.js';
import { XML_BREAKER, legalize, writeRun } from './site-history.js';

// Firmware 80.17 for four nights, then 80.18 for four: on 80.18 bert-flax starts passing every night
// (a fix) and cnn-flax starts failing every night (a regression); jax-dot passes throughout.
let site: string;
let browser: Browser;

beforeAll(async () => {
  const runsDir = tempDir();
  for (let d = 1; d <= 8; d++) {
    const fw = d <= 4 ? '80.17.0.0' : '80.18.0.0';
    const outcomes = [
      outcome({ probe: 'jax-dot', status: 'pass' }),
      d <= 4 ? outcome({ probe: 'cnn-flax', workload: 'cnn', status: 'pass' }) : outcome({ probe: 'cnn-flax', workload: 'cnn', ...legalize }),
      d <= 4
        ? outcome({ probe: 'bert-flax', workload: 'text-encoder', status: 'fail', category: 'runtime-fatal', reason: 'TT_FATAL: slice_dim and num_devices must be provided' })
        : outcome({ probe: 'bert-flax', workload: 'text-encoder', status: 'pass' }),
    ];
    // A run id is any string in a record: the feed must carry this one as text.
    const runId = d === 4 ? `n4-${XML_BREAKER}` : `n${d}-n150`;
    writeRun(runsDir, record({ runId, startedAt: `2026-03-0${d}T01:00:00.000Z`, firmwareBundle: fw, plugin: d <= 6 ? '0.1.0' : '0.2.0', outcomes }), `n${d}-n150`);
  }
  site = path.join(tempDir(), 'site');
  const r = await cli(['site', runsDir, '--out', site]);
  expect(r.exitCode, r.stderr).toBe(0);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
});

async function open(file: string) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`file://${path.join(site, file)}`);
  return page;
}

describe('release pages', () => {
  it('list what a firmware bundle fixed, broke and left unchanged, by pass rates over repeated nights', async () => {
    const page = await open('releases/firmware-80.18.0.0.html');
    const n150 = page.locator('section.system[data-tier="n150"]');
    await expect(n150.innerText()).resolves.toMatch(/4 night\(s\)[\s\S]*Against 80\.17\.0\.0 \(4 night\(s\), pass rates\)/);
    await expect(n150.locator('ul.fixed').innerText()).resolves.toBe('bert-flax: 0/4 nights pass -> 4/4 nights pass, was fail (runtime-fatal)');
    await expect(n150.locator('ul.broke').innerText()).resolves.toBe('cnn-flax: 4/4 nights pass -> 0/4 nights pass, fail (unsupported-op: stablehlo-reduce-window-legalize)');
    await expect(n150.locator('ul.unchanged').innerText()).resolves.toMatch(/^jax-dot\s+pass 4\/4 nights pass -> 4\/4 nights pass$/);
    // The plugin changed within the same nights: the page says so rather than crediting the firmware alone.
    await expect(n150.innerText()).resolves.toContain('plugin: 0.1.0 -> 0.2.0');
    expect(await n150.locator('ul.broke a').getAttribute('href')).toBe('../probes/cnn-flax.html');
    await page.close();
  });

  it('say there is nothing to compare with for the first version seen', async () => {
    const page = await open('releases/firmware-80.17.0.0.html');
    await expect(page.locator('section.system').innerText()).resolves.toContain('The first version seen on this system');
    await page.close();
  });

  it('exist per plugin version too, and are linked from the front page and the probe pages', async () => {
    const plugin = await open('releases/plugin-0.2.0.html');
    // Two nights on 0.2.0 against six on 0.1.0: no change is significant there.
    await expect(plugin.locator('h1').innerText()).resolves.toBe('TT-XLA PJRT plugin 0.2.0');
    await plugin.close();
    const index = await open('index.html');
    await expect(index.locator('#releases-table tr', { hasText: '80.18.0.0' }).innerText()).resolves.toMatch(/Firmware bundle 80\.18\.0\.0\s+2026-03-05 01:00\s+1\s+1/);
    expect(await index.locator('#summaries a').first().getAttribute('href')).toBe('releases/firmware-80.18.0.0.html');
    await index.close();
    const probe = await open('probes/cnn-flax.html');
    expect(await probe.locator('#releases a.release').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toContain('../releases/firmware-80.18.0.0.html');
    await probe.close();
  });
});

describe('the Atom feed', () => {
  it('has an entry per night with regressions or fixes, well-formed whatever the fields hold', () => {
    const xml = readFileSync(path.join(site, 'feed.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(xml).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    const entries = [feed.entry].flat();
    // Night 5 broke cnn-flax and fixed bert-flax; nothing changed on the other nights.
    expect(entries.map((e: { title: { '#text': string } }) => e.title['#text'])).toEqual(['N150 2026-03-05: 1 regression, 1 fix']);
    expect(entries[0].content['#text']).toContain('cnn-flax: pass -> fail (unsupported-op: stablehlo.reduce_window)');
    expect(entries[0].content['#text']).toContain('bert-flax: fail (runtime-fatal) -> pass');
    // Night 4's run id, with markup, CDATA terminators and a control character XML cannot hold, is text.
    expect(entries[0].content['#text']).toContain(`Compared with n4-${XML_BREAKER.replace('\u0001', '\uFFFD')}`);
    expect(xml).not.toContain('<evil');
  });
});
