import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { jsonSchemaOf } from './validate.js';
import { ProbeManifest } from './manifest.js';
import { Catalog } from './catalog.js';
import { Config } from './config.js';
import { ROOT } from '../../test/helpers.js';

// validateDocument lets zod decide and builds ajv only to explain a refusal. That keeps every document
// it accepted before only if nothing zod accepts fails the exported JSON Schema: checked here on
// thousands of mutations of the shipped manifests and catalog and of a full config.

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const VALUES: unknown[] = [null, 0, -1, 1.5, 7, '', 'x', 'tt-xla', 'cpu', true, false, [], {}, ['python'], { a: 1 }];

function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function mutate(doc: unknown, rnd: () => number): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const all = paths(copy);
  const target = all[Math.floor(rnd() * all.length)]!;
  if (target.length === 0) return copy;
  const parent = target.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const key = target.at(-1)!;
  const op = rnd();
  if (op < 0.3 && !Array.isArray(parent)) delete parent[key];
  else if (op < 0.4 && parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`extra${Math.floor(rnd() * 3)}`] = VALUES[Math.floor(rnd() * VALUES.length)];
  else parent[key] = VALUES[Math.floor(rnd() * VALUES.length)];
  return copy;
}

function agreement(schema: z.ZodType, docs: unknown[], rounds: number) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(jsonSchemaOf(schema));
  const rnd = random(2026);
  let refused = 0;
  const acceptedByZodOnly: string[] = [];
  for (let i = 0; i < rounds; i++) {
    let doc = docs[i % docs.length];
    for (let n = 1 + Math.floor(rnd() * 2); n > 0; n--) doc = mutate(doc, rnd);
    const zodOk = schema.safeParse(doc).success;
    if (!zodOk) refused++;
    if (zodOk && !validate(doc)) acceptedByZodOnly.push(JSON.stringify(doc).slice(0, 300));
  }
  return { refused, acceptedByZodOnly };
}

describe('validateDocument: zod decides, ajv explains', () => {
  it('accepts nothing the exported JSON Schema refuses (probe manifests)', () => {
    const docs = readdirSync(path.join(ROOT, 'probes'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'lib' && d.name !== 'prompts')
      .map((d) => JSON.parse(readFileSync(path.join(ROOT, 'probes', d.name, 'probe.json'), 'utf8')));
    const { refused, acceptedByZodOnly } = agreement(ProbeManifest, docs, 3000);
    expect(acceptedByZodOnly).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
  });

  it('accepts nothing the exported JSON Schema refuses (the catalog, entry by entry)', () => {
    const catalog = JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8'));
    const docs = catalog.entries.map((entry: unknown) => ({ version: catalog.version, entries: [entry] }));
    const { refused, acceptedByZodOnly } = agreement(Catalog, docs, 3000);
    expect(acceptedByZodOnly).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
  });

  it('accepts nothing the exported JSON Schema refuses (a config using every section)', () => {
    const config = {
      devices: 2,
      timeouts: { 'jax-dot': 120 },
      stacks: { 'tt-xla': { python: '/opt/venv/bin/python', env: { JAX_PLATFORMS: 'tt' } }, 'tt-metal': { python: 'python3', ttMetalHome: '/opt/tt-metal' } },
    };
    expect(Config.safeParse(config).success, JSON.stringify(Config.safeParse(config).error?.issues)).toBe(true);
    const { refused, acceptedByZodOnly } = agreement(Config, [config], 2000);
    expect(acceptedByZodOnly).toEqual([]);
    expect(refused).toBeGreaterThan(500);
  });
});
