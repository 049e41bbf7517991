import { MAX_RESULT_DEPTH, nestsDeeperThan } from '../run/safety/result-limits.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../schemas/run-record.js';
import { compileJsonSchema, NO_FAST_PARSE, type FastParse } from '../schemas/json-schema-parse.js';
import { PACKAGE_ROOT } from '../paths.js';
import { RUN_RECORD, inside } from './paths.js';
import { TtprobeError, invalidInput } from '../errors.js';

// Writers load write-file-atomic and zod when they write: readers (compare, site) start without them.
export async function writeJsonAtomic(file: string, data: unknown): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
}

export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  const { RunRecord } = await import('../schemas/run-record.js');
  await writeJsonAtomic(inside(runDir, RUN_RECORD), RunRecord.parse(record));
}

const MAX_RECORD_DEPTH = MAX_RESULT_DEPTH + 64;

let fastParse: Promise<FastParse> | null = null;

/** The exported run-record JSON Schema, compiled once; without the file, every record goes to zod. */
function fastRunRecordParse(): Promise<FastParse> {
  fastParse ??= readFile(path.join(PACKAGE_ROOT, 'schemas', 'run-record.schema.json'), 'utf8').then(
    (text) => compileJsonSchema(JSON.parse(text)),
    () => () => NO_FAST_PARSE,
  );
  return fastParse;
}

export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const file = inside(runDir, RUN_RECORD);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TtprobeError('not-found', `no run record at ${file}: ${(err as Error).message}`, { file });
  }
  // Results nest at most MAX_RESULT_DEPTH inside a record a few levels deep; anything far deeper was
  // not written by the runner and would overflow the stack of every walker after the parse.
  if (nestsDeeperThan(text, MAX_RECORD_DEPTH)) throw invalidInput(file, '', `nests deeper than ${MAX_RECORD_DEPTH} levels; no run record does`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidInput(file, '', `not valid JSON: ${(err as Error).message}`);
  }
  const version = (json as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof version === 'number' && version > 1) {
    throw invalidInput(file, 'schemaVersion', `version ${version} is newer than this ttprobe reads (1)`);
  }
  // Records that fit the schema, every record the runner writes, never load zod; the rest get its verdict.
  const fast = (await fastRunRecordParse())(json);
  if (fast !== NO_FAST_PARSE) return fast as RunRecord;
  const { RunRecord } = await import('../schemas/run-record.js');
  const parsed = RunRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidInput(file, issue.path.join('.') || '(root)', issue.message);
  }
  return parsed.data;
}
