import { describe, expect, it } from 'vitest';
import { compileCatalog, loadCatalog } from './catalog.js';
import { checkCatalog, sitesProblems } from './check.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StreamClassifier, classify as classifyFile } from './classify.js';
import { emitSites, instantiate, wrappings } from './emit-sites.js';
import { Catalog } from '../schemas/catalog.js';

const classify = async (text: string) => {
  const c = new StreamClassifier(await loadCatalog());
  c.feedText(text, 'stdout');
  return c.result();
};

describe('catalog entries written from their emit sites', () => {
  it('every specific entry names an upstream emit site and matches its message in every wrapper', async () => {
    const catalog = await loadCatalog();
    const specific = catalog.entries.filter((e) => !e.generic);
    expect(specific.length).toBeGreaterThan(30);
    let checked = 0;
    for (const entry of specific) {
      const sites = emitSites(entry);
      expect(sites.length, entry.id).toBeGreaterThan(0);
      for (const site of sites) {
        expect(site.repo, entry.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
        const message = instantiate(site);
        expect(message, entry.id).not.toMatch(/\{\}|%[sdx]/);
        for (const w of wrappings(message, site)) {
          const c = new StreamClassifier(catalog);
          c.feedText(w.text, 'stderr');
          expect(c.result().entry?.id, `${entry.id} / ${w.wrapper}: ${w.text}`).toBe(entry.id);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('fills fmt, printf and f-string placeholders with the sample values, then numbers', () => {
    expect(instantiate({ repo: 'a/b', path: 'x', format: 'Read {:#x} over PCIe ID {}: reset', values: ['0xffffffff'] })).toBe('Read 0xffffffff over PCIe ID 7: reset');
    expect(instantiate({ repo: 'a/b', path: 'x', format: 'value: 0x%x (expected %d) {name!r}', values: [] })).toBe('value: 0x1f (expected 7) 7');
    // CPython formats its own messages with PyUnicode_FromFormat: %U is a str object.
    expect(instantiate({ repo: 'python/cpython', path: 'Objects/object.c', format: "'%.100s' object has no attribute '%U'", values: ['builtins.PciChip', 'as_bh'] })).toBe(
      "'builtins.PciChip' object has no attribute 'as_bh'",
    );
  });

  it('catches an entry that only matches the quotes it was written from', async () => {
    const catalog = compileCatalog(
      Catalog.parse({
        version: 't',
        entries: [
          {
            id: 'legalize-single-quotes', title: 't', category: 'unsupported-op', layer: 'tt-mlir', priority: 900,
            patterns: [{ regex: "failed to legalize operation '(?<op>stablehlo\\.pad)'" }],
            source: { repo: 'llvm/llvm-project', path: 'mlir/lib/Transforms/Utils/DialectConversion.cpp', format: "failed to legalize operation '{}'", values: ['stablehlo.pad'] },
            examples: ["failed to legalize operation 'stablehlo.pad'"],
          },
        ],
      }),
      'test.json',
    );
    const problems = sitesProblems(catalog, 0);
    expect(problems.some((p) => p.includes('backquotes'))).toBe(true);
    expect(problems.some((p) => p.includes('sentence case'))).toBe(true);
    expect(checkCatalog(catalog)).toEqual(expect.arrayContaining(problems));
  });

  it('refuses a specific entry without an emit site, and accepts a generic rule without one', () => {
    const entry = { id: 'x', title: 't', category: 'unknown', layer: 'jax', priority: 5, patterns: [{ regex: 'widget exploded' }], examples: ['widget exploded'] };
    const specific = compileCatalog(Catalog.parse({ version: 't', entries: [entry] }), 't.json');
    expect(checkCatalog(specific)).toEqual(['entries[0].source (x): no emit site; name the upstream repo, path and format string that print the message, or mark the entry generic']);
    const generic = compileCatalog(Catalog.parse({ version: 't', entries: [{ ...entry, generic: true }] }), 't.json');
    expect(checkCatalog(generic)).toEqual([]);
  });
});

describe('generic rules that hold on real output', () => {
  it('reads legalize failures in backquotes and with a capital F, keeping the op', async () => {
    expect(await classify('error: failed to legalize operation `stablehlo.pad`')).toMatchObject({ category: 'unsupported-op', details: { op: 'stablehlo.pad' } });
    expect(await classify("Failed to legalize operation 'stablehlo.reduce'")).toMatchObject({ category: 'unsupported-op', details: { op: 'stablehlo.reduce' } });
    const rw = await classify("error: failed to legalize operation 'stablehlo.reduce_window'");
    expect(rw.entry?.title).toMatch(/variant/);
    expect(rw.details.op).toBe('stablehlo.reduce_window');
  });

  it('never lets an info line decide: the JIT cache line every TT-XLA log ends with', async () => {
    const tail = '2026-12-05 09:11:54.722 | info     |    BuildKernels | JIT cache stats: 0/641 hits (0.0%) [0 cached] (build_cache_telemetry.cpp:258)';
    expect(await classify(tail)).toMatchObject({ entry: null, category: null });
    const failed = await classify(
      [
        '2026-12-05 09:11:50.100 | critical |          Always | TT_FATAL: Invalid arguments to reshape (assert.hpp:104)',
        'RuntimeError: TT_FATAL @ /work/ttnn/cpp/ttnn/operations/data_movement/reshape_view/reshape_common.cpp:50: new_volume == old_volume',
        'info:',
        'Invalid arguments to reshape',
        tail,
      ].join('\n'),
    );
    expect(failed.category).toBe('runtime-fatal');
    const infoOnly = '           BuildKernels | INFO     | erisc compile failure -- cmd: cd /x && riscv32-unknown-elf-g++';
    expect(await classify(infoOnly)).toMatchObject({ entry: null, category: 'unknown' });
    // The same through a file, where info lines take the scanner's fast path.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ttprobe-info-'));
    writeFileSync(path.join(dir, 'a.log'), `${tail}\n${infoOnly}\n${tail}\n`);
    writeFileSync(path.join(dir, 'b.log'), `${tail}\n${tail}\n`);
    const catalog = await loadCatalog();
    expect(await classifyFile(catalog, { stdoutFile: path.join(dir, 'a.log') })).toMatchObject({ entry: null, category: 'unknown' });
    expect(await classifyFile(catalog, { stdoutFile: path.join(dir, 'b.log') })).toMatchObject({ entry: null, category: null });
  });

  it('never lets a later generic line hide an earlier specific one', async () => {
    const c = await classify(["ERROR: Package 'ttnn' requires a different Python: 3.8.10 not in '>=3.10'", 'E   RuntimeError: device timed out waiting for a response'].join('\n'));
    expect(c.entry?.id).toBe('environment-python-version');
  });

  it('answers something for every error statement the issue names, never no-error-found', async () => {
    for (const [line, category] of [
      ['E           AssertionError: Tensor-likes are not close!', 'numerical-mismatch'],
      ['AssertionError: Comparison result 0 failed: PCC comparison failed. Calculated: pcc=nan (invalid value). Required: pcc=0.99.', 'numerical-mismatch'],
      ['Exception: Unsupported fw version, got 1010000 but required 1040000', 'device-unavailable'],
      ['Error: Bundle fwId (18) does not match expected fwId (80); (18, 12, 0, 0) != (80, 17, 0, 0)', 'device-unavailable'],
      ["ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.", 'environment'],
      ["error: 'ttir.matmul' op failed to verify: operand shapes mismatch", 'compiler-crash'],
      ['python: D2MToTTKernel.cpp:2643: Assertion `getArg && "remote TensorAccessor operand must be a d2m.get_arg"\' failed.', 'compiler-crash'],
      ['ATOL 0.5 exceeds threshold 0.01', 'numerical-mismatch'],
      ['PCC 0.82 below threshold 0.99', 'numerical-mismatch'],
      ['error: module failed verification', 'compiler-crash'],
    ] as const) {
      expect((await classify(line)).category, line).toBe(category);
    }
  });
});
