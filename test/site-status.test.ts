import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { outcome, record } from '../bench/synthetic-runs.js';
import { ROOT, cleanEnv, cli, cli as cliIn, tempDir } from './helpers.js';
import { daysAgo, legalize, writeRun } from './site-history.js';

/** N150 ran an hour ago, T3K five days ago: with the default --stale-after 2d, T3K is stale. */
function history(): string {
  const runsDir = tempDir();
  writeRun(runsDir, record({ runId: 'old-n150', startedAt: daysAgo(3), outcomes: [outcome({ probe: 'sd-flax', title: 'SD Flax', workload: 'image-diffusion', status: 'pass' })] }));
  writeRun(runsDir, record({
    runId: 'new-n150', startedAt: daysAgo(1 / 24), firmwareBundle: '18.3.0',
    outcomes: [
      outcome({ probe: 'sd-flax', title: 'SD Flax', workload: 'image-diffusion', ...legalize }),
      outcome({ probe: 'jax-dot', status: 'pass' }),
      outcome({ probe: 'ttmetal-matmul', stack: 'tt-metal', status: 'skip', reason: 'ttnn is not installed' }),
    ],
  }));
  writeRun(runsDir, record({ runId: 'old-t3k', tier: 't3k', startedAt: daysAgo(5), outcomes: [outcome({ probe: 'jax-dot', status: 'crash', category: 'compiler-crash' })] }));
  return runsDir;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const schema = (name: string) => ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8')));

describe('status other tools can read', () => {
  it('writes status.json valid against its exported schema, with versions and dates per system x workload x stack', async () => {
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', history(), '--out', site])).exitCode).toBe(0);
    const status = JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8'));
    const validate = schema('site-status.schema.json');
    expect(validate(status), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...status, entries: [{ ...status.entries[0], status: 'great' }] })).toBe(false);
    const sd = status.entries.find((e: { tier: string; workload: string }) => e.tier === 'n150' && e.workload === 'image-diffusion');
    expect(sd).toMatchObject({ stack: 'tt-xla', status: 'fail', message: 'fails (reduce_window)', versions: { firmwareBundle: '18.3.0', plugin: '0.1.0' }, badge: 'badges/n150/tt-xla/image-diffusion.json' });
    expect(sd.probes).toMatchObject([{ probe: 'sd-flax', ruleId: 'stablehlo-reduce-window-legalize', op: 'stablehlo.reduce_window' }]);
    expect(status.systems).toMatchObject([{ tier: 'n150', latestRunId: 'new-n150', stale: false }, { tier: 't3k', latestRunId: 'old-t3k', stale: true }]);
  });

  it('writes a shields.io endpoint badge per workload x stack x system', async () => {
    const site = path.join(tempDir(), 'site');
    expect((await cli(['site', history(), '--out', site])).exitCode).toBe(0);
    const files = readdirSync(path.join(site, 'badges'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(['n150/tt-metal/matmul.json', 'n150/tt-xla/image-diffusion.json', 'n150/tt-xla/matmul.json', 't3k/tt-xla/matmul.json']);
    // What shields.io requires of an endpoint: schemaVersion 1, label and message strings, known optional fields only.
    const shields = schema('shields-endpoint.schema.json');
    const allowed = ['schemaVersion', 'label', 'message', 'color', 'labelColor', 'isError', 'namedLogo', 'logoSvg', 'logoColor', 'logoWidth', 'style', 'cacheSeconds'];
    for (const f of files) {
      const badge = JSON.parse(readFileSync(path.join(site, 'badges', f), 'utf8'));
      expect(shields(badge), f).toBe(true);
      expect(badge.schemaVersion).toBe(1);
      expect(typeof badge.label).toBe('string');
      expect(badge.message.length).toBeGreaterThan(0);
      for (const k of Object.keys(badge)) expect(allowed).toContain(k);
    }
    const sd = JSON.parse(readFileSync(path.join(site, 'badges', 'n150/tt-xla/image-diffusion.json'), 'utf8'));
    expect(sd).toEqual({ schemaVersion: 1, label: 'SD Flax on TT-XLA (N150)', message: 'fails (reduce_window)', color: 'red' });
    const t3k = JSON.parse(readFileSync(path.join(site, 'badges', 't3k/tt-xla/matmul.json'), 'utf8'));
    expect(t3k).toMatchObject({ message: 'crashes (compiler-crash)' });
  });
});

describe('stale data is a finding', () => {
  it('marks a system whose latest run is older than --stale-after, on every page, and --fail-on-stale exits 1', async () => {
    const runsDir = history();
    const site = path.join(tempDir(), 'site');
    const r = await cli(['site', runsDir, '--out', site]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/stale: T3K's latest run \(old-t3k\) started .*, over 2d ago/);
    const index = readFileSync(path.join(site, 'index.html'), 'utf8');
    expect(index).toMatch(/id="stale">Stale: T3K \(latest run /);
    for (const page of ['index.html', 'probes/jax-dot.html', 'releases/firmware-18.3.0.html', 'ops/stablehlo.reduce_window.html']) {
      const html = readFileSync(path.join(site, page), 'utf8');
      expect(html, page).toMatch(/<p class="freshness" id="freshness">Last updated \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(html, page).toMatch(/data-tier="n150">N150 \d{4}-/);
      expect(html, page).toMatch(/class="system stale" data-tier="t3k">T3K [^<]*\(stale/);
    }
    const failing = await cli(['site', runsDir, '--out', site, '--fail-on-stale']);
    expect(failing.exitCode).toBe(1);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Last updated');
    const lenient = await cli(['site', runsDir, '--out', site, '--fail-on-stale', '--stale-after', '6d']);
    expect(lenient.exitCode, lenient.stderr).toBe(0);
    expect(lenient.stderr).not.toContain('stale');
  });

  it('refuses a --stale-after, --since or --last it cannot read, exit 2', async () => {
    const out = path.join(tempDir(), 'site');
    for (const [flag, value] of [['--stale-after', 'soon'], ['--since', 'yesterday'], ['--last', '0']]) {
      const r = await cli(['site', history(), '--out', out, flag!, value!]);
      expect(r.exitCode, flag).toBe(2);
      expect(r.stderr).toContain(flag!);
    }
  });
});

/** A cache folder of the test's own ($TTPROBE_CACHE_DIR) and the one site cache made in it. */
function ownCacheDir() {
  const dir = tempDir();
  const env = cleanEnv({ TTPROBE_CACHE_DIR: dir });
  const cacheOf = () => {
    const [only, ...more] = readdirSync(path.join(dir, 'site'));
    expect(more).toEqual([]);
    return path.join(dir, 'site', only!);
  };
  return { env, cacheOf };
}

describe('bounded history and the run-record cache', () => {
  it('keeps only --last N runs per system, or runs --since a date', async () => {
    const runsDir = history();
    const site = path.join(tempDir(), 'site');
    const last = await cli(['site', runsDir, '--out', site, '--last', '1']);
    expect(last.stdout).toMatch(/from 2 run\(s\)/);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('the last 1 run(s) of each system');
    const since = await cli(['site', runsDir, '--out', site, '--since', daysAgo(2).slice(0, 10)]);
    expect(since.stdout).toMatch(/from 1 run\(s\)/);
  });

  it('reads only new or changed records, re-reads one rewritten in place, and ignores a corrupt cache', async () => {
    const runsDir = history();
    const site = path.join(tempDir(), 'site');
    const { env, cacheOf } = ownCacheDir();
    const cli = (args: string[]) => cliIn(args, env);
    expect((await cli(['site', runsDir, '--out', site])).stdout).toMatch(/\(3 read, 0 from the cache\)/);
    expect((await cli(['site', runsDir, '--out', site])).stdout).toMatch(/\(0 read, 3 from the cache\)/);

    writeRun(runsDir, record({ runId: 'newer-t3k', tier: 't3k', startedAt: daysAgo(0.5), outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] }));
    expect((await cli(['site', runsDir, '--out', site])).stdout).toMatch(/from 4 run\(s\) \(1 read, 3 from the cache\)/);

    // Reclassified: the same file rewritten with another verdict, same size (pass -> skip are 4 letters each).
    const file = path.join(runsDir, 'newer-t3k', 'run.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"status":"pass","category"', '"status":"skip","category"'));
    expect(readFileSync(file, 'utf8').length).toBe(text.length);
    expect((await cli(['site', runsDir, '--out', site])).stdout).toMatch(/\(1 read, 3 from the cache\)/);
    const status = JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8'));
    expect(status.entries.find((e: { tier: string }) => e.tier === 't3k').status).toBe('skip');

    const cache = cacheOf();
    const good = readFileSync(cache, 'utf8');
    for (const corrupt of ['{"format": "ttprobe-site-cache"', good.slice(0, good.length - 40), good.replace('"skip"', '"pass"'), 'garbage\n{}']) {
      writeFileSync(cache, corrupt);
      const r = await cli(['site', runsDir, '--out', site]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toMatch(/run-record cache .*\.ttprobe-cache\.json ignored \(.*\); rebuilt from the run records/);
      expect(r.stdout).toMatch(/\(4 read, 0 from the cache\)/);
      expect(JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8')).entries.find((e: { tier: string }) => e.tier === 't3k').status).toBe('skip');
    }
  });

  it('ignores a cache edited with its digest recomputed: the digest is keyed (issue 22, item 16)', async () => {
    const runsDir = history();
    writeRun(runsDir, record({ runId: 'newer-t3k', tier: 't3k', startedAt: daysAgo(0.5), outcomes: [outcome({ probe: 'jax-dot', status: 'pass' })] }));
    const site = path.join(tempDir(), 'site');
    const { env, cacheOf } = ownCacheDir();
    const cli = (args: string[]) => cliIn(args, env);
    expect((await cli(['site', runsDir, '--out', site])).exitCode).toBe(0);
    const cache = cacheOf();
    const text = readFileSync(cache, 'utf8');
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1).replace('"pass"', '"fail"');
    expect(body).not.toBe(text.slice(newline + 1));
    const header = JSON.parse(text.slice(0, newline));
    const digest = createHash('sha256').update(body).digest('hex');
    for (const field of Object.keys(header)) if (/^[0-9a-f]{64}$/.test(String(header[field]))) header[field] = digest;
    header.sha256 = digest;
    writeFileSync(cache, `${JSON.stringify(header)}\n${body}`);
    const r = await cli(['site', runsDir, '--out', site]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(4 read, 0 from the cache\)/);
    expect(JSON.parse(readFileSync(path.join(site, 'status.json'), 'utf8')).entries.find((e: { tier: string }) => e.tier === 't3k').status).toBe('pass');
  });
});
