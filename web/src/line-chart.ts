const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 52 };
const COLOURS = ['#1f77b4', '#d62728', '#ff7f0e', '#2ca02c'];

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

const asPercent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Lines over dates sharing one y axis (in percent unless told): one point per close of business. */
export function lineChart(dates: readonly string[], series: readonly Series[], label: string, formatValue: (value: number) => string = asPercent): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': label, class: 'chart' });
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(formatValue === asPercent ? 0.01 : 1, ...series.flatMap((s) => s.values));
  const x = (i: number) => MARGIN.left + (dates.length <= 1 ? innerWidth / 2 : (i / (dates.length - 1)) * innerWidth);
  const y = (v: number) => MARGIN.top + innerHeight - (v / top) * innerHeight;
  for (const tick of [0, 0.5, 1]) {
    const value = top * tick;
    chart.append(svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value), class: 'grid' }));
    const text = svg('text', { x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' });
    text.textContent = formatValue(value);
    chart.append(text);
  }
  for (const index of dates.length > 0 ? [0, dates.length - 1] : []) {
    const text = svg('text', { x: x(index), y: HEIGHT - 8, 'text-anchor': index === 0 ? 'start' : 'end', class: 'axis' });
    text.textContent = dates[index]!;
    chart.append(text);
  }
  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', { points, fill: 'none', stroke: COLOURS[i % COLOURS.length]!, 'stroke-width': 2 }));
    const legend = svg('text', { x: MARGIN.left + 8 + i * 150, y: MARGIN.top + 10, fill: COLOURS[i % COLOURS.length]!, class: 'legend' });
    legend.textContent = s.name;
    chart.append(legend);
  });
  return chart;
}
