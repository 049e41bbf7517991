/**
 * Parse JSON data by one of the exported JSON Schemas (schemas/*.schema.json) the way zod parses it by
 * the schema that schema came from: defaults filled in, fields unknown to a non-strict object dropped,
 * each object's keys in the schema's order. Reading a run record this way spares `compare` and `site`
 * loading zod (the largest part of their start-up).
 *
 * Only the keywords zod's export writes for ttprobe's schemas are understood. A schema with any other
 * keyword, and data that does not fit, parse to NO_FAST_PARSE: the caller then asks zod, whose verdict
 * and message are the ones users see. So this reader can only be faster than zod, never more lenient,
 * as long as the exported file matches the zod schema (src/schemas/json-schema.test.ts checks it).
 * What JSON Schema cannot carry (a refine, a transform) is invisible here: a schema read this way
 * (the run record) must have none; json-schema-parse.test.ts checks for transforms and custom types.
 */

export const NO_FAST_PARSE: unique symbol = Symbol('no fast parse');
export type FastParse = (value: unknown) => unknown;

type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$id', '$schema', 'description', 'default', 'type', 'const', 'enum', 'anyOf', 'properties', 'required',
  'additionalProperties', 'propertyNames', 'items', 'minimum', 'maximum', 'exclusiveMinimum', 'minLength',
]);
const FAIL = NO_FAST_PARSE;
const never: FastParse = () => FAIL;
const clone = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function typeCheck(type: unknown): ((v: unknown) => boolean) | null {
  const one = (t: unknown): ((v: unknown) => boolean) | null => {
    switch (t) {
      case 'string': return (v) => typeof v === 'string';
      case 'number': return (v) => typeof v === 'number' && Number.isFinite(v);
      case 'integer': return (v) => Number.isSafeInteger(v);
      case 'boolean': return (v) => typeof v === 'boolean';
      case 'null': return (v) => v === null;
      case 'array': return Array.isArray;
      case 'object': return isPlainObject;
      default: return null;
    }
  };
  if (!Array.isArray(type)) return one(type);
  const checks = type.map(one);
  if (checks.some((c) => !c)) return null;
  return (v) => checks.some((c) => c!(v));
}

/** Compile once per schema: the site reads a thousand records with one compiled tree. */
export function compileJsonSchema(schema: unknown): FastParse {
  if (!isPlainObject(schema)) return never;
  const s = schema as Schema;
  if (Object.keys(s).some((k) => !KNOWN.has(k))) return never;
  if (s.propertyNames !== undefined && JSON.stringify(s.propertyNames) !== '{"type":"string"}') return never;

  const checks: Array<(v: unknown) => boolean> = [];
  if (s.type !== undefined) {
    const t = typeCheck(s.type);
    if (!t) return never;
    checks.push(t);
  }
  if ('const' in s) checks.push((v) => v === s.const);
  if (s.enum !== undefined) {
    if (!Array.isArray(s.enum)) return never;
    const allowed = s.enum;
    checks.push((v) => allowed.includes(v));
  }
  if (typeof s.minimum === 'number') checks.push((v) => typeof v !== 'number' || v >= (s.minimum as number));
  if (typeof s.maximum === 'number') checks.push((v) => typeof v !== 'number' || v <= (s.maximum as number));
  if (typeof s.exclusiveMinimum === 'number') checks.push((v) => typeof v !== 'number' || v > (s.exclusiveMinimum as number));
  if (typeof s.minLength === 'number') checks.push((v) => typeof v !== 'string' || v.length >= (s.minLength as number));
  const check = (v: unknown) => checks.every((c) => c(v));

  if (s.anyOf !== undefined) {
    if (!Array.isArray(s.anyOf)) return never;
    const branches = s.anyOf.map(compileJsonSchema);
    return (v) => {
      if (!check(v)) return FAIL;
      for (const b of branches) {
        const out = b(v);
        if (out !== FAIL) return out;
      }
      return FAIL;
    };
  }
  if (s.items !== undefined) {
    const item = compileJsonSchema(s.items);
    return (v) => {
      if (!check(v) || !Array.isArray(v)) return FAIL;
      const out = new Array(v.length);
      for (let i = 0; i < v.length; i++) if ((out[i] = item(v[i])) === FAIL) return FAIL;
      return out;
    };
  }
  if (s.properties !== undefined || s.additionalProperties !== undefined) return compileObject(s, check);
  return (v) => (check(v) ? v : FAIL);
}

function compileObject(s: Schema, check: (v: unknown) => boolean): FastParse {
  if (s.properties !== undefined && !isPlainObject(s.properties)) return never;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const fields = Object.entries((s.properties ?? {}) as Record<string, unknown>).map(([key, sub]) => ({
    key,
    parse: compileJsonSchema(sub),
    hasDefault: isPlainObject(sub) && 'default' in sub,
    fallback: isPlainObject(sub) ? sub.default : undefined,
    required: required.has(key),
  }));
  const known = new Set(fields.map((f) => f.key));
  // false: a strict object refuses other keys; a schema: a record keeps them; absent: zod drops them.
  const extra = s.additionalProperties;
  if (extra !== undefined && extra !== false && !isPlainObject(extra)) return never;
  const parseExtra = isPlainObject(extra) ? compileJsonSchema(extra) : null;
  return (v) => {
    if (!check(v) || !isPlainObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (Object.hasOwn(v, f.key)) {
        if ((out[f.key] = f.parse(v[f.key])) === FAIL) return FAIL;
      } else if (f.hasDefault) out[f.key] = clone(f.fallback);
      else if (f.required) return FAIL;
    }
    for (const key of Object.keys(v)) {
      if (known.has(key)) continue;
      // A key named __proto__ would set the prototype on assignment: zod's own handling decides.
      if (extra === false || key === '__proto__') return FAIL;
      if (parseExtra && (out[key] = parseExtra(v[key])) === FAIL) return FAIL;
    }
    return out;
  };
}
