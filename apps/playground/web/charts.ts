/**
 * Small SVG line charts for the playground: linear or log axes with nice ticks, one line (and its points) per
 * series, optional vertical rules (K on the spectra). Redrawn whole on every snapshot; a few hundred points.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw a dot at every point (default true when the series has at most 60 points). */
  readonly dots?: boolean;
  readonly dashed?: boolean;
}

export interface ChartSpec {
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly yScale?: 'linear' | 'log';
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  readonly rules?: readonly { readonly x: number; readonly label: string }[];
  readonly width?: number;
  readonly height?: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = { left: 52, right: 12, top: 10, bottom: 36 };

/** Extent of finite (and, for log scales, positive) values; null when there are none. */
export function extent(values: Iterable<number>, positive = false): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positive && v <= 0)) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  return low <= high ? [low, high] : null;
}

/** Round tick values covering [low, high]: 1-2-5 steps on a linear axis, powers of ten on a log axis. */
export function ticks(low: number, high: number, scale: 'linear' | 'log', count = 5): number[] {
  if (scale === 'log') {
    const from = Math.floor(Math.log10(low));
    const to = Math.ceil(Math.log10(high));
    const every = Math.max(1, Math.ceil((to - from) / count));
    const out: number[] = [];
    for (let e = from; e <= to; e += every) out.push(10 ** e);
    return out;
  }
  const span = high - low || Math.abs(high) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A tick label: 3 significant digits, powers of ten as 1e-3. */
export function formatTick(v: number, scale: 'linear' | 'log'): string {
  if (v === 0) return '0';
  if (scale === 'log' && (v < 0.01 || v >= 1e4)) return `1e${Math.round(Math.log10(v))}`;
  if (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

const element = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
};

/** Draws `spec` into `host` (replacing what was there); returns the number of marks (line segments and dots) drawn. */
export function drawChart(host: HTMLElement, spec: ChartSpec): number {
  const width = spec.width ?? host.clientWidth ?? 420;
  const height = spec.height ?? 200;
  const scale = spec.yScale ?? 'linear';
  const all = spec.series.flatMap((s) => s.points);
  const xs = spec.xDomain ?? extent(all.map((p) => p[0]));
  let ys = spec.yDomain ?? extent(all.map((p) => p[1]), scale === 'log');
  const svg = element('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart-svg', role: 'img' });
  host.replaceChildren(svg);
  if (!xs || !ys) {
    element('text', { x: width / 2, y: height / 2, class: 'chart-empty', 'text-anchor': 'middle' }, svg).textContent = 'no data yet';
    return 0;
  }
  if (ys[0] === ys[1]) ys = scale === 'log' ? [ys[0] / 2, ys[1] * 2] : [ys[0] - 1, ys[1] + 1];
  const [x0, x1] = xs[0] === xs[1] ? [xs[0] - 1, xs[1] + 1] : xs;
  const yTicks = ticks(ys[0], ys[1], scale);
  const [y0, y1] = scale === 'log' ? [Math.min(ys[0], yTicks[0]), Math.max(ys[1], yTicks[yTicks.length - 1])] : [Math.min(ys[0], yTicks[0]), Math.max(ys[1], yTicks[yTicks.length - 1])];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const ty = (y: number): number => (scale === 'log' ? Math.log10(y) : y);
  const sy = (y: number): number => MARGIN.top + plotH - ((ty(y) - ty(y0)) / (ty(y1) - ty(y0))) * plotH;

  const grid = element('g', { class: 'grid' }, svg);
  for (const t of yTicks) {
    if (t < y0 || t > y1) continue;
    element('line', { x1: MARGIN.left, x2: MARGIN.left + plotW, y1: sy(t), y2: sy(t) }, grid);
    element('text', { x: MARGIN.left - 6, y: sy(t) + 4, 'text-anchor': 'end', class: 'tick' }, grid).textContent = formatTick(t, scale);
  }
  for (const t of ticks(x0, x1, 'linear', 6)) {
    element('line', { x1: sx(t), x2: sx(t), y1: MARGIN.top + plotH, y2: MARGIN.top + plotH + 4, class: 'axis' }, grid);
    element('text', { x: sx(t), y: MARGIN.top + plotH + 16, 'text-anchor': 'middle', class: 'tick' }, grid).textContent = formatTick(t, 'linear');
  }
  element('rect', { x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH, class: 'frame' }, svg);
  element('text', { x: MARGIN.left + plotW / 2, y: height - 4, 'text-anchor': 'middle', class: 'axis-label' }, svg).textContent = spec.xLabel;
  element('text', { x: 12, y: MARGIN.top + plotH / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${MARGIN.top + plotH / 2})` }, svg).textContent = spec.yLabel;

  let marks = 0;
  for (const rule of spec.rules ?? []) {
    if (rule.x < x0 || rule.x > x1) continue;
    element('line', { x1: sx(rule.x), x2: sx(rule.x), y1: MARGIN.top, y2: MARGIN.top + plotH, class: 'mark-rule' }, svg);
    element('text', { x: sx(rule.x) + 4, y: MARGIN.top + 12, class: 'rule-label' }, svg).textContent = rule.label;
    marks++;
  }
  const clip = (y: number): number => Math.min(y1, Math.max(y0, y));
  for (const s of spec.series) {
    const visible = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (scale !== 'log' || y > 0));
    if (visible.length === 0) continue;
    const g = element('g', { class: 'series' }, svg);
    element('title', {}, g).textContent = s.name;
    const d = visible.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(clip(y)).toFixed(1)}`).join('');
    element('path', { d, class: 'mark-line', stroke: s.color, ...(s.dashed ? { 'stroke-dasharray': '5 3' } : {}) }, g);
    marks += Math.max(1, visible.length - 1);
    if (s.dots ?? visible.length <= 60) {
      for (const [x, y] of visible) {
        const dot = element('circle', { cx: sx(x), cy: sy(clip(y)), r: 2.6, fill: s.color, class: 'mark-point' }, g);
        element('title', {}, dot).textContent = `${s.name}: ${formatTick(y, 'linear')} at ${x}`;
        marks++;
      }
    }
  }
  return marks;
}
