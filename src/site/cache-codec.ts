import { z } from 'zod';
import { Category, Layer, Outcome, Status } from '../schemas/outcome.js';
import { Stack } from '../schemas/manifest.js';
import { SiteRun, type SiteOutcome } from './site-run.js';

/**
 * The cache's compact form of the site's runs: every string once in a table, each outcome a tuple
 * of table indices and numbers. Object keys repeated over 20,000 outcomes made the plain JSON five
 * times larger and its parse slower than reading the run records. Decoding checks every index and
 * type, so a cache that does not decode is rejected, never half-trusted.
 */

type Ix = number;
/** [probe, title, stack, workload, status, category, layer, ruleId, signature, reason, details,
 *  evidence, durationS, attempt, attempts, started, stdout, stderr, executeS, metrics, census, stages,
 *  censusPhases as [phase, placement, [op, count, [module...]]...]] */
type OutcomeTuple = [
  Ix, Ix, Ix, Ix, Ix, Ix | null, Ix | null, Ix | null, Ix | null, Ix, Ix[], Ix[],
  number, number, unknown[], boolean, Ix, Ix, number | null, Array<Ix | number>, Array<Ix | number>, unknown, CensusTuple[],
];
type CensusTuple = [Ix, Ix, Array<[Ix, number, Ix[]]>];

const RunHead = SiteRun.omit({ outcomes: true });
export const CompactRuns = z.object({
  strings: z.array(z.string()),
  // Outcome tuples are checked field by field as they decode; a zod pass over 20,000 of them cost more than the decoding.
  runs: z.array(z.object({ head: RunHead, outcomes: z.custom<unknown[][]>((v) => Array.isArray(v) && v.every(Array.isArray)) })),
});
export type CompactRuns = z.infer<typeof CompactRuns>;

/** A run as a loaded cache held it, with that cache's string table: saved again without re-encoding. */
export interface Packed {
  strings: string[];
  run: CompactRuns['runs'][number];
}

/**
 * With `packed`, runs it knows keep their tuples and the string table they index, and only the
 * others are encoded (appending strings): the caller passes it only when every run of that table is
 * still saved, so the table holds no string no run uses.
 */
export function encodeRuns(runs: SiteRun[], packed?: (run: SiteRun) => Packed | undefined): CompactRuns {
  const base = packed ? runs.map(packed).find(Boolean)?.strings : undefined;
  const strings: string[] = base ? [...base] : [];
  const index = new Map<string, number>(strings.map((text, i) => [text, i]));
  const s = (text: string): Ix => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      index.set(text, i);
    }
    return i;
  };
  const n = (text: string | null) => (text === null ? null : s(text));
  const pairs = (obj: Record<string, string | number>, value: (v: string | number) => Ix | number) =>
    Object.entries(obj).flatMap(([k, v]) => [s(k), value(v)]);
  const reused = (run: SiteRun) => {
    const p = base && packed?.(run);
    return p && p.strings === base ? p.run : undefined;
  };
  return {
    strings,
    runs: runs.map((run) => reused(run) ?? encodeOne(run)),
  };

  function encodeOne({ outcomes, ...head }: SiteRun): CompactRuns['runs'][number] {
    return {
      head,
      outcomes: outcomes.map((o): OutcomeTuple => [
        s(o.probe), s(o.title), s(o.stack), s(o.workload), s(o.status), n(o.category), n(o.layer), n(o.ruleId), n(o.signature), s(o.reason),
        pairs(o.details, (v) => s(String(v))), o.evidence.map(s), o.durationS, o.attempt, o.attempts, o.started,
        s(o.logs.stdout), s(o.logs.stderr), o.executeS, pairs(o.metrics, Number), pairs(o.census, Number), o.stages,
        o.censusPhases.map((ph): CensusTuple => [s(ph.phase), s(ph.placement), ph.ops.map((x): [Ix, number, Ix[]] => [s(x.op), x.count, x.modules.map(s)])]),
      ]),
    };
  }
}

class Undecodable extends Error {}

const Attempts = Outcome.shape.attempts;
const Stages = Outcome.shape.stages;

export function decodeRuns(compact: CompactRuns): SiteRun[] {
  const { strings } = compact;
  const fail = (what: string): never => {
    throw new Undecodable(what);
  };
  const s = (i: unknown): string => (typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < strings.length ? strings[i]! : fail(`string index ${String(i)}`));
  const n = (i: unknown): string | null => (i === null ? null : s(i));
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`number ${String(v)}`));
  const oneOf = <T extends string>(options: readonly T[]) => {
    const set = new Set<string>(options);
    return (i: unknown): T => {
      const v = s(i);
      return set.has(v) ? (v as T) : fail(`value ${v}`);
    };
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail('list'));
  const tuple = (v: unknown, length: number): unknown[] => (Array.isArray(v) && v.length === length ? v : fail('tuple'));
  const status = oneOf(Status.options);
  const stack = oneOf(Stack.options);
  const category = oneOf(Category.options);
  const layer = oneOf(Layer.options);
  const pairs = <V>(list: unknown, value: (v: unknown) => V): Record<string, V> => {
    if (!Array.isArray(list) || list.length % 2) return fail('pairs');
    const out: Record<string, V> = {};
    for (let i = 0; i < list.length; i += 2) out[s(list[i])] = value(list[i + 1]);
    return out;
  };
  const outcome = (t: unknown[]): SiteOutcome => {
    if (t.length !== 23) fail('outcome tuple length');
    const attempts = Array.isArray(t[14]) && t[14].length === 0 ? [] : Attempts.parse(t[14]);
    if (typeof t[15] !== 'boolean' || !Array.isArray(t[11])) fail('outcome fields');
    return {
      probe: s(t[0]), title: s(t[1]), stack: stack(t[2]), workload: s(t[3]), status: status(t[4]),
      category: t[5] === null ? null : category(t[5]), layer: t[6] === null ? null : layer(t[6]),
      ruleId: n(t[7]), signature: n(t[8]), reason: s(t[9]), details: pairs(t[10], s), evidence: (t[11] as unknown[]).map(s),
      durationS: num(t[12]), attempt: num(t[13]), attempts, started: t[15] as boolean,
      logs: { stdout: s(t[16]), stderr: s(t[17]) }, executeS: t[18] === null ? null : num(t[18]),
      metrics: pairs(t[19], num), census: pairs(t[20], num),
      stages: t[21] === null ? null : Stages.parse(t[21]),
      censusPhases: list(t[22]).map((ph) => {
        const [phase, placement, ops] = tuple(ph, 3);
        return { phase: s(phase), placement: s(placement), ops: list(ops).map((x) => {
          const [op, count, modules] = tuple(x, 3);
          return { op: s(op), count: num(count), modules: list(modules).map(s) };
        }) };
      }),
    };
  };
  return compact.runs.map(({ head, outcomes }) => ({ ...head, outcomes: outcomes.map(outcome) }));
}
