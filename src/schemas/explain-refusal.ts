import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { z } from 'zod';
import { invalidInput, type TtprobeError } from '../errors.js';
import { didYouMean } from '../nearest.js';
import { jsonSchemaOf } from './validate.js';

// Loaded only for a document zod refused (see validateDocument): ajv and its formats are a third of a
// megabyte of code that a command reading good documents never needs.

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
 * Why `data` was refused, as one error naming the file and the first field: ajv against the exported
 * JSON Schema lists every authoring error with its field and the nearest known name; what JSON Schema
 * cannot express (a refinement) falls back to zod's own first issue.
 */
export function explainRefusal(schema: z.ZodType, data: unknown, file: string, zodError: z.ZodError): TtprobeError {
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
    return err;
  }
  const issue = zodError.issues[0]!;
  return invalidInput(file, issue.path.join('.') || '(root)', issue.message);
}
