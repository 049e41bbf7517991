/** Keeps the values of secret environment variables out of logs, records and reports. */

import { secretForms } from './secret-forms.js';

const SECRET_NAME = /(^|_)(TOKEN|KEY|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|API_?KEY)$/i;
const MIN_SECRET_LENGTH = 6;

export interface Secret {
  name: string;
  value: string;
}

/** HF_TOKEN, *_KEY, *_SECRET, *_PASSWORD and the like; values too short to be secrets are left alone. */
export function secretsOf(env: NodeJS.ProcessEnv): Secret[] {
  return Object.entries(env)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && SECRET_NAME.test(e[0]) && e[1].length >= MIN_SECRET_LENGTH)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value.length - a.value.length);
}

function needlesOf(secrets: Secret[]): Array<{ text: string; marker: string }> {
  return secrets
    .flatMap((s) => secretForms(s.value).map((text) => ({ text, marker: `[REDACTED:${s.name}]` })))
    .sort((a, b) => b.text.length - a.text.length);
}

export function redactText(text: string, secrets: Secret[]): string {
  let out = text;
  for (const n of needlesOf(secrets)) out = out.split(n.text).join(n.marker);
  return out;
}

/** Every string in parsed JSON, keys included: escapes in the file hide nothing once parsed. */
export function redactValue(value: unknown, secrets: Secret[]): unknown {
  if (!secrets.length) return value;
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k, secrets), redactValue(v, secrets)]));
  }
  return value;
}

/**
 * Streaming redaction over byte chunks: the last (longest secret - 1) bytes are held back, so a
 * secret split across two chunks is still caught.
 */
export class Redactor {
  private held: Buffer = Buffer.alloc(0);
  private readonly needles: Array<{ bytes: Buffer; marker: Buffer }>;
  private readonly keep: number;

  constructor(secrets: Secret[]) {
    this.needles = needlesOf(secrets).map((n) => ({ bytes: Buffer.from(n.text), marker: Buffer.from(n.marker) }));
    this.keep = Math.max(0, ...this.needles.map((n) => n.bytes.length - 1));
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  private replaceAll(data: Buffer): Buffer {
    for (const { bytes, marker } of this.needles) {
      let at = data.indexOf(bytes);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (; at >= 0; at = data.indexOf(bytes, from)) {
        parts.push(data.subarray(from, at), marker);
        from = at + bytes.length;
      }
      parts.push(data.subarray(from));
      data = Buffer.concat(parts);
    }
    return data;
  }

  push(chunk: Buffer): Buffer {
    const data = this.replaceAll(this.held.length ? Buffer.concat([this.held, chunk]) : chunk);
    const cut = Math.max(0, data.length - this.keep);
    this.held = Buffer.from(data.subarray(cut));
    return data.subarray(0, cut);
  }

  flush(): Buffer {
    const rest = this.replaceAll(this.held);
    this.held = Buffer.alloc(0);
    return rest;
  }
}
