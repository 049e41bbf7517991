import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { PROTOCOL_VERSION, ProbeResult } from '../schemas/probe-result.js';
import { redactText, type Secret } from './redact.js';

export interface ResultRead {
  result: ProbeResult | null;
  problem: string | null;
}

/** Reads what a probe wrote to $TTPROBE_RESULT_FILE; every way it can be wrong becomes a stated problem. */
export async function readResultFile(file: string, secrets: Secret[] = []): Promise<ResultRead> {
  let text: string;
  try {
    const raw = await readFile(file, 'utf8');
    text = redactText(raw, secrets);
    // The file stays in the run directory, so it is stored redacted too.
    if (text !== raw) await writeFileAtomic(file, text);
  } catch {
    return { result: null, problem: 'probe wrote no result file' };
  }
  if (!text.trim()) return { result: null, problem: 'result file is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { result: null, problem: `result file is not valid JSON (${(err as Error).message})` };
  }
  const protocol = (json as { protocol?: unknown } | null)?.protocol;
  if (typeof protocol === 'number' && protocol > PROTOCOL_VERSION) {
    return { result: null, problem: `result protocol ${protocol} is newer than this harness reads (${PROTOCOL_VERSION})` };
  }
  const parsed = ProbeResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { result: null, problem: `result file field '${issue.path.join('.') || '(root)'}': ${issue.message}` };
  }
  return { result: parsed.data, problem: null };
}
