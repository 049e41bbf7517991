import { z } from 'zod';
import { invalidInput } from '../errors.js';

/** JSON Schema for what a user writes (defaults optional), generated from the zod schema. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Validate user-authored data. zod, the source of truth, decides and applies defaults; a document it
 * refuses is explained by ajv against the exported JSON Schema (explain-refusal.ts), loaded only then:
 * ajv's code and its compiled validators were a fifth of a second of every command's start.
 */
export async function validateDocument<S extends z.ZodType>(schema: S, data: unknown, file: string): Promise<z.infer<S>> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const { explainRefusal } = await import('./explain-refusal.js');
  throw explainRefusal(schema, data, file, parsed.error);
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
