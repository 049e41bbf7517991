import { PROTOCOL_VERSION, ProbeResult } from '../../schemas/probe-result.js';
import { redactText, redactValue, type Secret } from '../../environment/redact.js';
import { MAX_RESULT_BYTES, MAX_RESULT_DEPTH, nestsDeeperThan } from '../safety/result-limits.js';
import { openProbeFile, readProbeFileHeadNow, redactOpenFile, replaceProbeFile, type ProbeFileHead } from './probe-file.js';

export interface ResultRead {
  result: ProbeResult | null;
  problem: string | null;
}

/** Reads what a probe wrote to $TTPROBE_RESULT_FILE; every way it can be wrong becomes a stated problem. */
export async function readResultFile(file: string, secrets: Secret[] = []): Promise<ResultRead> {
  let text: string;
  let head: ProbeFileHead;
  try {
    head = readProbeFileHeadNow(file, MAX_RESULT_BYTES);
  } catch {
    return { result: null, problem: 'probe wrote no result file' };
  }
  if (head.kind === 'missing') return { result: null, problem: 'probe wrote no result file' };
  if (head.kind === 'refused') return { result: null, problem: `result file ${head.why}` };
  if (head.size > MAX_RESULT_BYTES) {
    // It stays on disk for a person to look at, redacted in bounded memory.
    const opened = await openProbeFile(file).catch(() => ({ kind: 'missing' as const }));
    if (opened.kind === 'file') await redactOpenFile(file, opened.handle, secrets).finally(() => opened.handle.close());
    return { result: null, problem: `result file is ${head.size} bytes, over the limit of ${MAX_RESULT_BYTES}` };
  }
  const raw = head.bytes.toString('utf8');
  text = redactText(raw, secrets);
  // The file stays in the run directory, so it is stored redacted too.
  if (text !== raw) await replaceProbeFile(file, text);
  if (!text.trim()) return { result: null, problem: 'result file is empty' };
  if (nestsDeeperThan(text, MAX_RESULT_DEPTH)) return { result: null, problem: `result file nests deeper than ${MAX_RESULT_DEPTH} levels` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { result: null, problem: `result file is not valid JSON (${(err as Error).message})` };
  }
  const redacted = redactValue(json, secrets);
  if (JSON.stringify(redacted) !== JSON.stringify(json)) {
    json = redacted;
    await replaceProbeFile(file, JSON.stringify(json, null, 2) + '\n');
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
