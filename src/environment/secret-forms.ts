/**
 * The spellings a secret takes in what a probe prints or writes: as is, JSON-escaped (Python's
 * json.dumps, with and without ensure_ascii), Python's repr() and ascii() of the string, repr() of
 * its UTF-8 bytes, and each of these escaped again (a JSON string inside JSON, a repr inside a
 * JSON message). Each escape works character by character, so the escaped body of the secret is a
 * substring of any larger text escaped the same way: these bodies are what redaction looks for.
 */

type Escape = (text: string) => string;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

const json: Escape = (t) => JSON.stringify(t).slice(1, -1);
const jsonAscii: Escape = (t) => json(t).replace(/[\u007f-\uffff]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);

/** What Python's str.isprintable() rejects, near enough: controls, separators other than space, unassigned. */
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

function pyEscapeChar(c: string, quote: string, asciiOnly: boolean): string {
  if (c === '\\') return '\\\\';
  if (c === quote) return `\\${quote}`;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0)!;
  if (code < 0x7f && c !== ' ' && NOT_PRINTABLE.test(c)) return `\\x${hex(code, 2)}`;
  if (code < 0x7f) return c;
  if (!asciiOnly && !NOT_PRINTABLE.test(c)) return c;
  if (code < 0x100) return `\\x${hex(code, 2)}`;
  return code < 0x10000 ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
}

/** repr()/ascii() bodies: Python quotes with ' and escapes it, or with " and leaves ' alone. */
const pyRepr = (quote: string, asciiOnly: boolean): Escape => (t) =>
  Array.from(t, (c) => pyEscapeChar(c, quote, asciiOnly)).join('');

/** repr() of the string's UTF-8 bytes: every byte above ASCII as \xNN. */
const pyBytesRepr = (quote: string): Escape => (t) =>
  Array.from(Buffer.from(t, 'utf8'), (b) => (b >= 0x80 ? `\\x${hex(b, 2)}` : pyEscapeChar(String.fromCharCode(b), quote, true))).join('');

const ESCAPES: Escape[] = [json, jsonAscii, pyRepr("'", false), pyRepr('"', false), pyRepr("'", true), pyRepr('"', true), pyBytesRepr("'"), pyBytesRepr('"')];

/** Every spelling of `value` up to two escapes deep, and JSON three deep (a JSON document in a JSON string in a JSON log). */
export function secretForms(value: string): string[] {
  const forms = new Set([value]);
  const once = ESCAPES.map((e) => e(value));
  for (const f of once) forms.add(f);
  for (const f of once) for (const e of ESCAPES) forms.add(e(f));
  forms.add(json(json(json(value))));
  forms.add(jsonAscii(jsonAscii(jsonAscii(value))));
  return [...forms];
}
