import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { jsonSchemaOf } from './validate.js';
import { ProbeManifest } from './manifest.js';
import { ProbeResult } from './probe-result.js';
import { Catalog } from './catalog.js';
import { RunRecord } from './run-record.js';
import { Baseline } from './baseline.js';
import { Comparison } from './comparison.js';
import { Config } from './config.js';
import { ShieldsEndpoint, SiteStatus } from './site-status.js';
import { ProbeList } from './probe-list.js';
import { KnownFlakes } from './known-flakes.js';

/** The JSON Schemas users author against; generated from the zod schemas, never edited by hand. */
export const EXPORTED_SCHEMAS = {
  'manifest.schema.json': ProbeManifest,
  'probe-result.schema.json': ProbeResult,
  'catalog.schema.json': Catalog,
  'run-record.schema.json': RunRecord,
  'baseline.schema.json': Baseline,
  'compare.schema.json': Comparison,
  'config.schema.json': Config,
  'site-status.schema.json': SiteStatus,
  'shields-endpoint.schema.json': ShieldsEndpoint,
  'probe-list.schema.json': ProbeList,
  'known-flakes.schema.json': KnownFlakes,
};

export function renderSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(EXPORTED_SCHEMAS)) {
    out[name] = JSON.stringify({ $id: `https://ttprobe.dev/schemas/${name}`, ...jsonSchemaOf(schema) }, null, 2) + '\n';
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.join(PACKAGE_ROOT, 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(renderSchemas())) writeFileSync(path.join(dir, name), text);
}
