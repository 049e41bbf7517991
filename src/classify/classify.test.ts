import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, compileCatalog, type LoadedCatalog } from './catalog.js';
import { classify } from './classify.js';
import { checkCatalog } from './check.js';
import { normaliseLine, signatureOf } from './signature.js';
import { decideVerdict } from './verdict.js';
import { FIXTURES } from '../../test/helpers.js';

let catalog: LoadedCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});
const log = (name: string) => path.join(FIXTURES, 'logs', name);

describe('the catalog', () => {
  it("classifies every entry's examples as that entry", () => {
    expect(checkCatalog(catalog)).toEqual([]);
    expect(catalog.entries.length).toBeGreaterThanOrEqual(25);
  });

  it('cites upstream issues for the hand-run failures', () => {
    const byId = new Map(catalog.entries.map((e) => [e.id, e]));
    expect(byId.get('stablehlo-reduce-window-legalize')!.links.some((l) => l.includes('tenstorrent/tt-xla/issues'))).toBe(true);
    expect(byId.get('ttnn-slice-dim-num-devices')!.links.length).toBeGreaterThan(0);
    expect(byId.get('stablehlo-reduce-window-legalize')!.unsupportedOps).toEqual(['stablehlo.reduce_window']);
  });

  it('reports a shadowed example', () => {
    const shadowing = compileCatalog(
      {
        version: 't',
        entries: [
          { id: 'broad', title: 'b', category: 'unknown', layer: 'jax', priority: 10, patterns: [{ regex: 'error', flags: '', source: 'any' }], unsupportedOps: [], links: [], examples: ['error'], layerFromTrace: false, generic: true },
          { id: 'narrow', title: 'n', category: 'unknown', layer: 'jax', priority: 5, patterns: [{ regex: 'bad error', flags: '', source: 'any' }], unsupportedOps: [], links: [], examples: ['bad error'], layerFromTrace: false, generic: true },
        ],
      },
      'test.json',
    );
    expect(checkCatalog(shadowing)).toEqual(["entries[1].examples[0] (narrow): classified as 'broad' (priority 10) instead"]);
  });

  it('names file and field of a broken regex', () => {
    expect(() =>
      compileCatalog({ version: 't', entries: [{ id: 'x', title: 'x', category: 'unknown', layer: 'jax', priority: 1, patterns: [{ regex: '(', flags: '', source: 'any' }], unsupportedOps: [], links: [], examples: ['x'], layerFromTrace: false }] }, 'cat.json'),
    ).toThrow(/cat\.json: field 'entries\[0\]\.patterns\[0\]\.regex'/);
  });
});

describe("the hand run's four failures", () => {
  it.each([
    ['sd-flax-reduce-window.log', 'unsupported-op', 'tt-mlir', 'stablehlo-reduce-window-legalize', { op: 'stablehlo.reduce_window' }],
    ['bert-flax-slice-dim.log', 'runtime-fatal', 'tt-metal', 'ttnn-slice-dim-num-devices', {}],
    ['cnn-flax-lowop-assert.log', 'compiler-crash', 'tt-mlir', 'ttmlir-low-operand-constant', {}],
    ['dalle-mini-install.log', 'missing-dependency', 'python-env', 'pip-no-distribution', { package: 'vqgan-jax' }],
  ])('%s -> %s (%s)', async (file, category, layer, ruleId, details) => {
    const c = await classify(catalog, { stderrFile: log(file) });
    expect(c.entry).toMatchObject({ id: ruleId, category, layer });
    expect(c.details).toMatchObject(details);
    expect(c.evidence.length).toBeGreaterThan(0);
  });

  it('lets the root cause beat the generic Error code: 13 that follows it', async () => {
    const c = await classify(catalog, { text: "error: failed to legalize operation 'stablehlo.scatter'\nRuntimeError: Error code: 13" });
    expect(c.entry!.id).toBe('stablehlo-scatter-legalize');
    expect((await classify(catalog, { text: 'RuntimeError: Bad StatusOr access: INTERNAL: Error code: 13' })).entry!.category).toBe('pjrt-internal');
  });

  it('ranks an out-of-memory TT_FATAL as device-oom, not runtime-fatal', async () => {
    const text = '{TT_FATAL @ /tt-metal/tt_metal/impl/allocator/bank_manager.cpp:462: false\ninfo:\nOut of Memory: Not enough space to allocate 58720256 B DRAM buffer across 12 banks';
    const c = await classify(catalog, { text });
    expect(c.entry).toMatchObject({ id: 'ttfatal-out-of-memory', category: 'device-oom' });
    expect(c.details).toMatchObject({ bytes: '58720256', buffer: 'DRAM', banks: '12' });
  });

  it('attributes a generic crash to the library its backtrace runs through', async () => {
    const c = await classify(catalog, { text: ' #3 0x7f in foo (/venv/lib/libtt_metal.so+0x1)\nAborted (core dumped)' });
    const v = decideVerdict({ exitCode: 134, signal: null, timedOut: false, timeoutSeconds: 1, result: null, resultProblem: null }, 'tt', c);
    expect(v).toMatchObject({ status: 'crash', ruleId: 'process-aborted', layer: 'tt-metal' });
  });
});

describe('signatures of unknown failures', () => {
  it('groups the same failure across nights and machines, and separates a different one', async () => {
    const [a, b, other] = await Promise.all(
      ['unknown-night1.log', 'unknown-night2.log', 'unknown-other.log'].map((f) => classify(catalog, { stderrFile: log(f) })),
    );
    expect(a!.entry).toBeNull();
    expect(a!.signature).toMatch(/^sig-[0-9a-f]{12}$/);
    expect(a!.signature).toBe(b!.signature);
    expect(other!.signature).not.toBe(a!.signature);
  });

  it('folds addresses, numbers, temp paths and timestamps', () => {
    expect(normaliseLine('2026-01-12 18:22:41.118 at 0x7f3a2c /tmp/abc/x.bin pid 4242 size 4096')).toBe(
      '<time> at <hex> <path> pid <n> size <n>',
    );
    expect(signatureOf(['ValueError: a 1'])).toBe(signatureOf(['ValueError: a 2']));
  });

  it('finds no signature in clean output', async () => {
    expect((await classify(catalog, { text: 'all good\nwarning: deprecated flag' })).signature).toBeNull();
  });
});
