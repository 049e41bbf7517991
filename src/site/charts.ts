/** Line charts as plain data for the SVG template: numbers only, so nothing needs escaping. */

export interface Series {
  label: string;
  color: string;
  values: Array<number | null>;
}

export interface ChartView {
  width: number;
  height: number;
  max: string;
  lines: Array<{ label: string; color: string; points: string }>;
  xLabels: Array<{ x: number; text: string }>;
}

const W = 640;
const H = 180;
const PAD = 30;

export function lineChart(series: Series[], xLabels: string[]): ChartView {
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number) => PAD + ((W - 2 * PAD) * i) / n;
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * v) / max;
  const labelEvery = Math.max(1, Math.ceil(xLabels.length / 8));
  return {
    width: W,
    height: H,
    max: Number.isInteger(max) ? String(max) : max.toPrecision(3),
    lines: series.map((s) => ({
      label: s.label,
      color: s.color,
      points: s.values
        .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
        .filter(Boolean)
        .join(' '),
    })),
    xLabels: xLabels.map((text, i) => ({ x: Number(x(i).toFixed(1)), text })).filter((_, i) => i % labelEvery === 0),
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
