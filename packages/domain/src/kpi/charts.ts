import { escapeMarkup } from '../markup';
import { formatRatio, RATE_NAMES, type RateKey } from './formulas';
import type { KpiView } from './views';

// Charts as SVG text, built by pure functions. A WeChat mini-program has no inline <svg>
// element, but an <Image> shows an SVG data URI in weapp and H5 alike, so the same string serves
// both builds (and these functions are testable without a renderer).

export interface Bar {
  label: string;
  /** The whole bar (received). */
  total: number;
  /** The darker part drawn over it (handled); ≤ total. */
  part: number;
  /** Text after the bar: "8/10 · 80.0%". */
  caption: string;
}

export interface BarSeries {
  totalName: string;
  partName: string;
  bars: Bar[];
}

export interface Line {
  name: string;
  color: string;
  /** One value per label in [0, 1], or null where there is no data (a gap in the line). */
  values: (number | null)[];
}

export interface LineSeries {
  labels: string[];
  lines: Line[];
}

export const CHART_COLORS = {
  total: '#d6e4fa',
  part: '#2f6fdf',
  grid: '#e5e7eb',
  axis: '#6b7280',
  text: '#1f2937',
  handlingRate: '#2f6fdf',
  effectiveRate: '#16a34a',
  satisfactionRate: '#f59e0b',
  onTimeRate: '#dc2626',
  responseRate: '#7c3aed',
  solvedRate: '#0891b2',
  closedOnTimeRate: '#be185d',
  reworkRate: '#78716c',
} as const;

const FONT = 'PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif';

const n = (x: number) => (Math.round(x * 10) / 10).toString();

const svg = (width: number, height: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">${body}</svg>`;

interface TextStyle {
  size?: number;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
}

/** One <text>, each attribute once (a repeated attribute makes the whole SVG invalid XML). */
const text = (x: number, y: number, s: string, style: TextStyle = {}) =>
  `<text x="${n(x)}" y="${n(y)}" font-size="${style.size ?? 20}" fill="${style.fill ?? CHART_COLORS.text}"${
    style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : ''
  }>${escapeMarkup(s)}</text>`;

function emptyChart(width: number): string {
  return svg(width, 80, text(width / 2, 48, '暂无数据', { anchor: 'middle', fill: CHART_COLORS.axis }));
}

/** Received (light) with handled (dark) over it, one horizontal bar per row, scaled to the largest. */
export function barChartSvg(series: BarSeries, width = 700): string {
  if (series.bars.length === 0) return emptyChart(width);
  const labelW = 170;
  const captionW = 170;
  const rowH = 44;
  const top = 44;
  const plotW = width - labelW - captionW - 16;
  const max = Math.max(1, ...series.bars.map((b) => b.total));
  const legend =
    `<rect x="${labelW}" y="8" width="18" height="18" rx="3" fill="${CHART_COLORS.total}"/>` +
    text(labelW + 26, 24, series.totalName) +
    `<rect x="${labelW + 110}" y="8" width="18" height="18" rx="3" fill="${CHART_COLORS.part}"/>` +
    text(labelW + 136, 24, series.partName);
  const rows = series.bars
    .map((b, i) => {
      const y = top + i * rowH;
      const totalW = (b.total / max) * plotW;
      const partW = (Math.min(b.part, b.total) / max) * plotW;
      return (
        text(labelW - 10, y + 26, b.label, { anchor: 'end' }) +
        `<rect x="${labelW}" y="${y + 8}" width="${n(Math.max(totalW, 1))}" height="26" rx="4" fill="${CHART_COLORS.total}"/>` +
        (partW > 0
          ? `<rect x="${labelW}" y="${y + 8}" width="${n(partW)}" height="26" rx="4" fill="${CHART_COLORS.part}"/>`
          : '') +
        text(labelW + totalW + 10, y + 27, b.caption, { size: 18, fill: CHART_COLORS.axis })
      );
    })
    .join('');
  return svg(width, top + series.bars.length * rowH + 8, legend + rows);
}

/** Percentages over months, one line per ratio; a month without data breaks the line. */
export function lineChartSvg(series: LineSeries, width = 700, height = 340): string {
  if (series.labels.length === 0 || series.lines.length === 0) return emptyChart(width);
  const left = 64;
  const right = 16;
  const top = 64;
  const bottom = 44;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i: number) => left + ((i + 0.5) * plotW) / series.labels.length;
  const y = (v: number) => top + (1 - v) * plotH;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (v) =>
        `<line x1="${left}" x2="${width - right}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>` +
        text(left - 8, y(v) + 6, `${v * 100}%`, { size: 16, anchor: 'end', fill: CHART_COLORS.axis }),
    )
    .join('');
  const xLabels = series.labels
    .map((l, i) => text(x(i), height - 14, l, { size: 18, anchor: 'middle', fill: CHART_COLORS.axis }))
    .join('');
  const legend = series.lines
    .map((l, i) => {
      const lx = left + i * ((width - left) / series.lines.length);
      return (
        `<rect x="${n(lx)}" y="12" width="18" height="6" fill="${l.color}" transform="translate(0 7)"/>` +
        text(lx + 24, 26, l.name, { size: 18 })
      );
    })
    .join('');
  // Earlier lines are drawn wider, so a line lying exactly on another still shows at its edges.
  const lines = series.lines
    .map((l, li) => {
      const strokeWidth = Math.max(2, 3 + 2 * (series.lines.length - 1 - li));
      // Runs of consecutive points with data; each run is one path.
      const runs: string[][] = [];
      let run: string[] = [];
      l.values.forEach((v, i) => {
        if (v === null) {
          if (run.length) runs.push(run);
          run = [];
        } else run.push(`${n(x(i))},${n(y(v))}`);
      });
      if (run.length) runs.push(run);
      const paths = runs
        .filter((r) => r.length > 1)
        .map(
          (r) =>
            `<polyline points="${r.join(' ')}" fill="none" stroke="${l.color}" stroke-width="${strokeWidth}" stroke-linejoin="round" stroke-linecap="round"/>`,
        )
        .join('');
      const dots = l.values
        .map((v, i) =>
          v === null
            ? ''
            : `<circle cx="${n(x(i))}" cy="${n(y(v))}" r="${strokeWidth / 2 + 3}" fill="${l.color}"/>`,
        )
        .join('');
      return paths + dots;
    })
    .join('');
  return svg(width, height, grid + xLabels + legend + lines);
}

const caption = (part: number, total: number) =>
  `${part}/${total} · ${formatRatio({ numerator: part, denominator: total, value: total ? part / total : null })}`;

/** By category: received with handled over it. */
export const categoryBars = (view: KpiView): BarSeries => ({
  totalName: '受理',
  partName: '已处理',
  bars: view.byCategory.map((c) => ({
    label: c.name,
    total: c.figures.received,
    part: c.figures.handled,
    caption: caption(c.figures.handled, c.figures.received),
  })),
});

/** By tier: the same, all three tiers. */
export const tierBars = (view: KpiView): BarSeries => ({
  totalName: '受理',
  partName: '已处理',
  bars: view.byTier.map((t) => ({
    label: t.name,
    total: t.figures.received,
    part: t.figures.handled,
    caption: caption(t.figures.handled, t.figures.received),
  })),
});

/** The monthly trend of the four ratios. */
export function trendLines(
  view: KpiView,
  keys: readonly RateKey[] = ['handlingRate', 'effectiveRate', 'satisfactionRate', 'onTimeRate'],
): LineSeries {
  return {
    labels: view.trend.map((m) => m.label),
    lines: keys.map((k) => ({
      name: RATE_NAMES[k],
      color: CHART_COLORS[k],
      values: view.trend.map((m) => m.figures[k].value),
    })),
  };
}

/** An SVG string as an image source that weapp's and H5's <Image> both show. */
export const svgDataUri = (svgText: string) =>
  `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
