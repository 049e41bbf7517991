import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { didYouMean } from '../nearest.js';

/** JSON Schema for what a user writes (defaults optional), generated from the zod schema. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

let ajv: Ajv | null = null;
const compiled = new WeakMap<z.ZodType, ValidateFunction>();

/** Built on first use: commands that read only their own records never pay for it. */
function getAjv(): Ajv {
  if (!ajv) {
    // verbose: an unknown field's error carries its object's schema, whose known fields name the nearest.
    ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
  }
  return ajv;
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  // A key refused by propertyNames (an env variable name, a probe id) is the field to name.
  if (error.propertyName !== undefined) return path ? `${path}.${error.propertyName}` : error.propertyName;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  return path || '(root)';
}

function messageOf(error: ErrorObject): string {
  if (error.propertyName !== undefined) return `is not an allowed name (${error.message ?? 'invalid'})`;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
    return `is not a known field${didYouMean(extra, known)}`;
  }
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'enum') return `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return error.message ?? 'is invalid';
}

/**
 * Validate user-authored data. zod, the source of truth, decides and applies defaults; a document it
 * refuses is read again by ajv against the exported JSON Schema, which reports every authoring error
 * with its field and the nearest known name. ajv is built only then: compiling its validators was a
 * fifth of a second of every command's start, paid for documents that were fine.
 */
export function validateDocument<S extends z.ZodType>(schema: S, data: unknown, file: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = getAjv().compile(jsonSchemaOf(schema));
    compiled.set(schema, validate);
  }
  if (!validate(data)) {
    // A refused key also fails its parent's propertyNames; the key's own error names it better.
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames');
    const first = errors[0]!;
    const all = errors.map((e) => `'${fieldOf(e)}' ${messageOf(e)}`).join('; ');
    const err = invalidInput(file, fieldOf(first), messageOf(first));
    err.message = `${file}: ${all}`;
    throw err;
  }
  // What JSON Schema cannot express (a refinement): zod's own first issue.
  const issue = parsed.error.issues[0]!;
  throw invalidInput(file, issue.path.join('.') || '(root)', issue.message);
}

/** `... at position 73` read as a person finds it in an editor: `... at position 73 (line 5, column 3)`. */
function withLineAndColumn(message: string, text: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = Number(at[1]) - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

export async function parseJsonFile(text: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidInput(file, '', `not valid JSON: ${withLineAndColumn((err as Error).message, text)}`);
  }
}
