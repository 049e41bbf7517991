import type { OpVerdict, Outcome } from '../schemas/outcome.js';

type StackId = 'tt-xla' | 'tt-metal';

/**
 * The rows of the TT-XLA vs tt-metal op table: the StableHLO op families of TT-XLA's op-coverage next
 * to the ttnn ops of tt-metal's that do the same job. A family neither list names gets a row of its own.
 */
export const OP_ROWS: ReadonlyArray<{ title: string; families: Record<StackId, string[]> }> = [
  { title: 'matrix multiply', families: { 'tt-xla': ['dot_general'], 'tt-metal': ['matmul', 'linear'] } },
  { title: 'convolution', families: { 'tt-xla': ['convolution'], 'tt-metal': ['conv2d'] } },
  { title: 'pooling (reduce_window)', families: { 'tt-xla': ['reduce_window'], 'tt-metal': ['max_pool2d', 'avg_pool2d'] } },
  { title: 'cumulative sum / product', families: { 'tt-xla': ['cumsum', 'cumprod'], 'tt-metal': [] } },
  { title: 'sort', families: { 'tt-xla': ['sort'], 'tt-metal': [] } },
  { title: 'gather / embedding', families: { 'tt-xla': ['gather'], 'tt-metal': ['embedding'] } },
  { title: 'scatter', families: { 'tt-xla': ['scatter'], 'tt-metal': [] } },
  { title: 'pooling gradient (select_and_scatter)', families: { 'tt-xla': ['select_and_scatter'], 'tt-metal': [] } },
  { title: 'pad', families: { 'tt-xla': ['pad'], 'tt-metal': [] } },
  { title: 'reverse', families: { 'tt-xla': ['reverse'], 'tt-metal': [] } },
  { title: 'slice', families: { 'tt-xla': ['dynamic_slice'], 'tt-metal': ['slice'] } },
  { title: 'concat', families: { 'tt-xla': [], 'tt-metal': ['concat'] } },
  { title: 'reshape / permute', families: { 'tt-xla': [], 'tt-metal': ['reshape', 'permute'] } },
  { title: 'softmax', families: { 'tt-xla': [], 'tt-metal': ['softmax'] } },
  { title: 'normalisation', families: { 'tt-xla': [], 'tt-metal': ['layer_norm', 'rms_norm'] } },
  { title: 'activation (gelu, erf_inv)', families: { 'tt-xla': ['erf_inv'], 'tt-metal': ['gelu'] } },
  { title: 'type conversion', families: { 'tt-xla': [], 'tt-metal': ['typecast'] } },
  { title: 'loops (while)', families: { 'tt-xla': ['while'], 'tt-metal': [] } },
  { title: 'branches (case)', families: { 'tt-xla': ['case'], 'tt-metal': [] } },
  { title: 'random numbers', families: { 'tt-xla': ['rng'], 'tt-metal': [] } },
  { title: 'QR (custom_call)', families: { 'tt-xla': ['custom_call_qr'], 'tt-metal': [] } },
  { title: 'cholesky', families: { 'tt-xla': ['cholesky'], 'tt-metal': [] } },
  { title: 'triangular solve', families: { 'tt-xla': ['triangular_solve'], 'tt-metal': [] } },
  { title: 'FFT (complex)', families: { 'tt-xla': ['fft'], 'tt-metal': [] } },
];

export interface OpCell {
  family: string;
  op: string;
  status: OpVerdict['status'];
  /** "unsupported-op: stablehlo.cholesky"; null when it did what it should. */
  why: string | null;
  reason: string;
  /** The family's own log, relative to the run directory. */
  log: string;
  seconds: number;
}

export interface OpTableRow {
  title: string;
  cells: Record<StackId, OpCell[]>;
}

export interface OpTable {
  rows: OpTableRow[];
  /** Per stack: the probe the column comes from and how many families did what they should. */
  columns: Record<StackId, { probe: string; ok: number; total: number } | null>;
}

const GOOD = new Set(['compiled', 'pass', 'skip']);

/** Why a family failed, in a few words ("unsupported-op: stablehlo.cholesky"); null when it did not. */
export function opWhy(v: Pick<OpVerdict, 'status' | 'category' | 'failingOp'>): string | null {
  return GOOD.has(v.status) ? null : [v.category, v.failingOp].filter(Boolean).join(': ') || v.status;
}

/** The output folder of an outcome, relative to the run directory (beside its logs). */
export const outDirOf = (o: Pick<Outcome, 'logs'>) => o.logs.stdout.replace(/\/[^/]*$/, '/out');

function cellOf(v: OpVerdict, outDir: string): OpCell {
  const why = opWhy(v);
  return { family: v.family, op: v.op, status: v.status, why, reason: v.reason, log: `${outDir}/${v.log}`, seconds: v.seconds };
}

/** The op table of one run: null when no op-coverage probe ran. */
export function opTableOf(outcomes: Outcome[]): OpTable | null {
  const columns: OpTable['columns'] = { 'tt-xla': null, 'tt-metal': null };
  const byFamily = new Map<string, OpCell>();
  const stackOf = new Map<string, StackId>();
  for (const o of outcomes) {
    if (!o.opVerdicts.length || columns[o.stack]) continue;
    const outDir = outDirOf(o);
    columns[o.stack] = { probe: o.probe, ok: o.opVerdicts.filter((v) => v.status === 'compiled' || v.status === 'pass').length, total: o.opVerdicts.length };
    for (const v of o.opVerdicts) {
      byFamily.set(`${o.stack}:${v.family}`, cellOf(v, outDir));
      stackOf.set(`${o.stack}:${v.family}`, o.stack);
    }
  }
  if (!columns['tt-xla'] && !columns['tt-metal']) return null;
  const used = new Set<string>();
  const take = (stack: StackId, families: string[]) =>
    families.flatMap((f) => {
      const cell = byFamily.get(`${stack}:${f}`);
      if (cell) used.add(`${stack}:${f}`);
      return cell ? [cell] : [];
    });
  const rows: OpTableRow[] = OP_ROWS.map((r) => ({ title: r.title, cells: { 'tt-xla': take('tt-xla', r.families['tt-xla']), 'tt-metal': take('tt-metal', r.families['tt-metal']) } }));
  for (const [key, cell] of byFamily) {
    if (used.has(key)) continue;
    const stack = stackOf.get(key)!;
    rows.push({ title: cell.family, cells: { 'tt-xla': stack === 'tt-xla' ? [cell] : [], 'tt-metal': stack === 'tt-metal' ? [cell] : [] } });
  }
  return { rows: rows.filter((r) => r.cells['tt-xla'].length || r.cells['tt-metal'].length), columns };
}
