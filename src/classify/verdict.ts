import type { ProbeResult } from '../schemas/probe-result.js';
import type { Target } from '../schemas/manifest.js';
import type { Category, Layer, Status, Verdict } from '../schemas/outcome.js';
import type { Stage } from '../schemas/stage.js';
import type { Classification } from './classify.js';
import { onMock } from './mock-verdict.js';

/** What the runner observed of one probe process. */
export interface Execution {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  timeoutSeconds: number;
  result: ProbeResult | null;
  resultProblem: string | null;
  /** Set when the probe's command could not be started at all. */
  spawnError?: string | null;
}

const PLATFORM_OF_TARGET: Record<Target, string[]> = {
  tt: ['tt'],
  gpu: ['gpu', 'cuda', 'rocm'],
  cpu: ['cpu'],
};

/** Shells report death by signal N as exit 128+N. */
const SIGNAL_EXITS = new Map([
  [134, 'SIGABRT'],
  [136, 'SIGFPE'],
  [137, 'SIGKILL'],
  [139, 'SIGSEGV'],
]);

function base(status: Status, reason: string, category: Category | null = null, layer: Layer | null = null): Verdict {
  return { status, category, layer, ruleId: null, reason, details: {}, evidence: [], signature: null };
}

/**
 * The reason names the entry and what is specific to this failure: the entry's first detail, else
 * the probe's own message, else the decisive line (a generic rule's title alone says too little).
 */
function withClassification(verdict: Verdict, c: Classification, probeMessage: string | null = null): Verdict {
  if (c.entry) {
    const detail = Object.values(c.details)[0] ?? probeMessage ?? c.evidence[0]?.slice(0, 200);
    return {
      ...verdict,
      status: c.entry.status ?? verdict.status,
      // The classifier's category: categoryByLayer / categoryByStage already applied.
      category: c.category ?? c.entry.category,
      layer: c.layer,
      ruleId: c.entry.id,
      reason: detail ? `${c.entry.title}: ${detail}` : c.entry.title,
      details: c.details,
      evidence: c.evidence,
    };
  }
  return {
    ...verdict,
    category: verdict.category ?? 'unknown',
    reason: c.decisiveLines.length ? `${verdict.reason}: ${c.decisiveLines.at(-1)!.slice(0, 200)}` : verdict.reason,
    layer: verdict.layer ?? c.layer,
    evidence: c.evidence,
    signature: c.signature,
  };
}

function passVerdict(result: ProbeResult, target: Target): Verdict {
  const placement = result.placement;
  if (!placement) {
    return base('fail', 'probe claimed pass but did not report where its output lived (placement)', 'unknown', 'harness');
  }
  if (!PLATFORM_OF_TARGET[target].includes(placement.platform.toLowerCase())) {
    return {
      ...base('cpu-fallback', `asked for ${target}, but the output lived on ${placement.device} (${placement.platform})`),
      details: { platform: placement.platform, device: placement.device },
    };
  }
  return base('pass', result.message ?? `computed on ${placement.device}`);
}

/** What the verdict needs to know of the run beyond the process. */
export interface VerdictContext {
  /** The run targets a mock system (`ttprobe run --mock`): nothing it ran was computed. */
  mock?: boolean;
  /** The last stage the probe entered, when it wrote its stages. */
  lastStage?: Stage | null;
}

/** A mock run's success: compiled for the mock's device, else the compiler ran somewhere else (CPU fallback, as for a pass). */
function compiledVerdict(result: ProbeResult, target: Target): Verdict {
  const placed = passVerdict(result, target);
  if (placed.status !== 'pass') return placed;
  return base('compiled', result.message ?? `compiled for ${result.placement!.device} (mock system: nothing computed)`);
}

/** The verdict from process facts, the probe's own result and the catalog's reading of its output. */
export function decideVerdict(exec: Execution, target: Target, classification: Classification, context: VerdictContext = {}): Verdict {
  const verdict = processVerdict(exec, target, classification, context.mock ?? false);
  return context.mock ? onMock(verdict, context.lastStage ?? null) : verdict;
}

function processVerdict(exec: Execution, target: Target, classification: Classification, mock: boolean): Verdict {
  if (exec.timedOut) {
    const reason = `no result within ${exec.timeoutSeconds}s; process group killed`;
    const entry = classification.entry;
    return {
      ...base('timeout', entry ? `${reason} (last known error: ${entry.title})` : reason, 'timeout', entry?.layer ?? null),
      ruleId: entry?.id ?? null,
      details: classification.details,
      evidence: classification.evidence,
    };
  }
  if (exec.spawnError) return base('fail', `could not start the probe: ${exec.spawnError}`, 'environment', 'harness');
  const signal = exec.signal ?? (exec.exitCode !== null ? SIGNAL_EXITS.get(exec.exitCode) ?? null : null);
  const result = exec.result;

  if (result && !signal && exec.exitCode === 0) {
    if (result.status === 'pass' && mock) {
      return base('fail', 'probe claimed pass on a mock system, which computes nothing: under TTPROBE_MOCK a probe stops after compiling and reports compiled (probes/PROTOCOL.md)', 'unknown', 'harness');
    }
    if (result.status === 'pass') return passVerdict(result, target);
    if (result.status === 'compiled') {
      if (!mock) return base('fail', 'probe reported compiled outside a mock run: compiled is the verdict of a mock system only (probes/PROTOCOL.md)', 'unknown', 'harness');
      return compiledVerdict(result, target);
    }
    if (result.status === 'skip') {
      const missing = result.missing.length > 0;
      const reason = result.skipReason ?? (missing ? `missing: ${result.missing.join(', ')}` : 'skipped without a reason');
      return {
        ...base('skip', reason, missing ? 'missing-dependency' : null, missing ? 'python-env' : null),
        details: missing ? { missing: result.missing.join(', ') } : {},
      };
    }
  }

  if (signal) {
    const why = signal === 'SIGKILL' ? ' (outside a timeout this is usually the kernel out-of-memory killer: see dmesg)' : '';
    return withClassification(base('crash', `killed by ${signal}${why}`), classification);
  }
  if (result?.status === 'pass' || result?.status === 'compiled') {
    return withClassification(base('fail', `result claims ${result.status} but the process exited with ${exec.exitCode}`), classification);
  }
  if (result?.status === 'fail') {
    return withClassification(base('fail', result.message ?? `probe reported failure (exit ${exec.exitCode})`), classification, result.message ?? null);
  }
  const problem = exec.resultProblem ?? 'no result';
  if (exec.exitCode === 0) {
    return withClassification(base('fail', `exited 0 but ${problem}`, 'unknown', 'harness'), classification);
  }
  return withClassification(base('fail', `exited with ${exec.exitCode} (${problem})`), classification);
}
