import { el } from './elements.js';
import { num, pct, tickPct } from './format.js';

/**
 * Line charts drawn by uPlot (npm `uplot`, served by the engine from node_modules at
 * /vendor/uplot/, loaded by index.html before this script: no CDN). Dates on the x axis in
 * UTC calendar days, the legend under the plot (never over the lines) showing the values
 * under the cursor, and the chart as wide as its panel, redrawn when the panel resizes.
 */

type UPlotClass = typeof import('uplot');
type Options = import('uplot').Options;
const UPlot = (window as unknown as { uPlot: UPlotClass }).uPlot;

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly colour: string;
  readonly width?: number;
  readonly dash?: number[];
}

const DAY_SECONDS = 86_400;
const seconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1_000;
const isoDay = (s: number) => new Date(s * 1_000).toISOString().slice(0, 10);
const shortDay = (s: number) => new Date(s * 1_000).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

const charts = new Set<{ plot: InstanceType<UPlotClass>; holder: HTMLElement }>();
const resizes = new ResizeObserver(() => {
  for (const chart of charts) {
    if (!chart.holder.isConnected) {
      chart.plot.destroy();
      charts.delete(chart);
      resizes.unobserve(chart.holder);
      continue;
    }
    const width = chart.holder.clientWidth;
    if (width > 0 && Math.abs(width - chart.plot.width) > 1) chart.plot.setSize({ width, height: chart.plot.height });
  }
});

/** Lines over business dates sharing one y axis: percentages of ratios, or days (days past due). */
export function lineChart(dates: readonly string[], series: readonly Series[], label: string, kind: 'ratio' | 'days' = 'ratio', height = 260): HTMLElement {
  const holder = el('div', { class: 'chart', role: 'img', 'aria-label': label });
  const value = kind === 'ratio' ? (v: number | null) => (v === null ? '—' : pct(v)) : (v: number | null) => (v === null ? '—' : `${num(v)} d`);
  const options: Options = {
    width: 320,
    height,
    tzDate: (ts) => UPlot.tzDate(new Date(ts * 1_000), 'Etc/UTC'),
    cursor: { points: { size: 7 }, drag: { x: false, y: false } },
    // With the cursor off the plot, the legend shows the last close of business rather than dashes.
    hooks: { ready: [showLatest], setLegend: [showLatest] },
    legend: { live: true },
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, kind === 'ratio' ? Math.max(max, 0.01) * 1.1 : Math.max(max, 5) * 1.1] },
    },
    axes: [
      { values: (_u, splits) => splits.map(shortDay), space: 60, size: 34, gap: 4, font: '12px system-ui, sans-serif' },
      {
        values: (_u, splits) => splits.map((v) => (kind === 'ratio' ? tickPct(v) : num(v))),
        size: kind === 'ratio' ? 52 : 42,
        space: 32,
        font: '12px system-ui, sans-serif',
        incrs: kind === 'ratio' ? [0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1] : [1, 2, 5, 10, 15, 30, 60, 90, 120, 180, 360],
      },
    ],
    series: [
      { label: 'Close of business', value: (_u, v) => (v === null ? '—' : isoDay(v)) },
      ...series.map((s) => ({ label: s.name, stroke: s.colour, width: s.width ?? 2, ...(s.dash && { dash: s.dash }), points: { show: dates.length < 40, size: 4 }, value: (_u: unknown, v: number | null) => value(v) })),
    ],
  };
  const data = [dates.map(seconds), ...series.map((s) => [...s.values])] as [number[], ...number[][]];
  function showLatest(u: InstanceType<UPlotClass>): void {
    if (u.legend.idx == null && dates.length > 0) u.setLegend({ idx: dates.length - 1 }, false);
  }
  // One date alone: widen the x range so the point is not at the edge.
  if (dates.length === 1) options.scales!['x'] = { time: true, range: (_u, min, max) => [min - DAY_SECONDS, max + DAY_SECONDS] };
  // Drawn at once at a small width; the observer gives it the panel's width once placed, and destroys it when removed.
  charts.add({ plot: new UPlot(options, data, holder), holder });
  resizes.observe(holder);
  return holder;
}
