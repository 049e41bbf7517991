import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cli, FIXTURES, ROOT, tempDir } from './helpers.js';
import { outcome, record, writeRun } from './run-records.js';

const CATALOG = path.join(ROOT, 'catalog', 'known-errors.json');

// The site remembers a catalog that passed the full check by its digest (in the user's cache folder);
// these check that a remembered catalog draws the same site and that other text is checked again.
describe('site: the catalog check remembered by digest', () => {
  it('draws the same pages from remembered entries, and still refuses a changed catalog that fails the check', async () => {
    const runs = tempDir();
    writeRun(runs, record({ runId: 'r1', startedAt: '2026-03-01T00:00:00.000Z', outcomes: [outcome({ probe: 'jax-dot', status: 'fail', category: 'unsupported-op', ruleId: 'stablehlo-reduce-window-legalize', details: { op: 'stablehlo.reduce_window' } })] }));
    const cache = tempDir();
    const env = cleanEnv({ TTPROBE_CACHE_DIR: cache });
    const first = await cli(['site', runs, '--out', path.join(tempDir(), 'a'), '--no-cache'], env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readdirSync(path.join(cache, 'checked-catalogs'))).toHaveLength(1);
    const a = path.join(first.stdout.match(/-> (.*)\/index\.html/)![1]!);
    const second = await cli(['site', runs, '--out', path.join(tempDir(), 'b'), '--no-cache'], env);
    expect(second.exitCode, second.stderr).toBe(0);
    const b = path.join(second.stdout.match(/-> (.*)\/index\.html/)![1]!);
    const page = 'ops/stablehlo.reduce_window.html';
    expect(readFileSync(path.join(b, page), 'utf8').replace(/Built [^<]*/g, '')).toBe(readFileSync(path.join(a, page), 'utf8').replace(/Built [^<]*/g, ''));

    const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
    catalog.entries[0].patterns[0].regex = '(a+)+$';
    const bad = path.join(tempDir(), 'catalog.json');
    writeFileSync(bad, JSON.stringify(catalog, null, 2));
    const refused = await cli(['site', runs, '--out', path.join(tempDir(), 'c'), '--no-cache', '--catalog', bad], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`${bad}`);
    expect(refused.stderr).toContain('entries[0].patterns[0].regex');
    expect(readdirSync(path.join(cache, 'checked-catalogs'))).toHaveLength(1);
  });

  it('classify takes a remembered check too: same verdicts, and a catalog changed since is checked again', async () => {
    const cache = tempDir();
    const env = cleanEnv({ TTPROBE_CACHE_DIR: cache });
    const log = path.join(FIXTURES, 'logs', 'sd-flax-reduce-window.log');
    const first = await cli(['classify', '--json', log], env);
    expect(first.exitCode, first.stderr).toBe(0);
    const remembered = readdirSync(path.join(cache, 'checked-catalogs'));
    expect(remembered).toHaveLength(1);
    const second = await cli(['classify', '--json', log], env);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout)[0].ruleId).toBe('stablehlo-reduce-window-legalize');

    // The remembered copy is what the second run read: a rule edited there shows (nothing else is read).
    const file = path.join(cache, 'checked-catalogs', remembered[0]!);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const entry = saved.catalog.entries.find((e: { id: string }) => e.id === 'stablehlo-reduce-window-legalize');
    entry.title = 'title from the remembered check';
    writeFileSync(file, JSON.stringify(saved));
    const third = await cli(['classify', log], env);
    expect(third.stdout).toContain('title from the remembered check');

    const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
    catalog.entries[1].patterns[0].regex = '(x*)*y';
    const bad = path.join(tempDir(), 'catalog.json');
    writeFileSync(bad, JSON.stringify(catalog, null, 2));
    const refused = await cli(['classify', log, '--catalog', bad], env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('entries[1].patterns[0].regex');
    expect(readdirSync(path.join(cache, 'checked-catalogs'))).toHaveLength(1);
  });
});
