import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSchemas } from './export-json-schema.js';
import { ROOT } from '../../test/helpers.js';

describe('exported JSON Schemas', () => {
  it('are what the zod schemas generate (regenerate with npm run build)', () => {
    for (const [name, text] of Object.entries(renderSchemas())) {
      expect(readFileSync(path.join(ROOT, 'schemas', name), 'utf8'), name).toBe(text);
    }
  });

  it('validate the shipped manifests and catalog with a plain ajv, as an author would', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const manifest = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'manifest.schema.json'), 'utf8')));
    const probes = readdirSync(path.join(ROOT, 'probes'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'lib' && d.name !== 'prompts');
    expect(probes.length).toBeGreaterThanOrEqual(7);
    for (const d of probes) {
      const data = JSON.parse(readFileSync(path.join(ROOT, 'probes', d.name, 'probe.json'), 'utf8'));
      expect(manifest(data), `${d.name}: ${JSON.stringify(manifest.errors)}`).toBe(true);
    }
    const catalog = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'catalog.schema.json'), 'utf8')));
    expect(catalog(JSON.parse(readFileSync(path.join(ROOT, 'catalog', 'known-errors.json'), 'utf8')))).toBe(true);
    expect(manifest({ id: 'x', title: 't', stack: 'nope', workload: 'w', command: ['a'] })).toBe(false);
  });
});
