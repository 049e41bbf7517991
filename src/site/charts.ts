/** Line charts as plain data for the SVG template: numbers only, so nothing needs escaping. */

export interface Series {
  label: string;
  color: string;
  values: Array<number | null>;
}

export interface ChartView {
  width: number;
  height: number;
  /** The value axis: its top and bottom ticks with their unit, and its title. */
  max: string;
  min: string;
  minY: number;
  yTitle: string;
  lines: Array<{ label: string; color: string; points: string }>;
  xLabels: Array<{ x: number; text: string }>;
}

const W = 640;
const H = 180;
const PAD = 30;

/**
 * Time-axis labels from ISO timestamps: the day when every point has its own, else month-day and
 * time (a retried nightly puts several runs on one day). A label equal to the last one shown is
 * left out rather than repeated.
 */
function timeLabels(times: string[]): string[] {
  const days = times.map((t) => t.slice(0, 10));
  const text = new Set(days).size === days.length ? days : times.map((t) => `${t.slice(5, 10)} ${t.slice(11, 16)}`);
  return text.map((t, i) => (i > 0 && t === text[i - 1] ? '' : t));
}

/** `unit` follows each value tick (`12 s`); `yTitle` names the value axis. */
export function lineChart(series: Series[], times: string[], axis: { unit: string; yTitle: string }): ChartView {
  const xLabels = timeLabels(times);
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number) => PAD + ((W - 2 * PAD) * i) / n;
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * v) / max;
  const labelEvery = Math.max(1, Math.ceil(xLabels.length / 8));
  return {
    width: W,
    height: H,
    max: `${Number.isInteger(max) ? String(max) : max.toPrecision(3)} ${axis.unit}`.trim(),
    min: `0 ${axis.unit}`.trim(),
    minY: H - PAD + 4,
    yTitle: axis.yTitle,
    lines: series.map((s) => ({
      label: s.label,
      color: s.color,
      points: s.values
        .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
        .filter(Boolean)
        .join(' '),
    })),
    xLabels: xLabels.map((text, i) => ({ x: Number(x(i).toFixed(1)), text })).filter((l, i) => l.text && i % labelEvery === 0),
  };
}

export const STATUS_COLORS: Record<string, string> = {
  pass: '#1a7f37',
  'cpu-fallback': '#9a6700',
  fail: '#cf222e',
  crash: '#82071e',
  timeout: '#8250df',
  skip: '#6e7781',
};
