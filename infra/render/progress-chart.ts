import { type IsoDate, parseIsoDate, toDayNumber } from '../../core/shared/dates';
import type { Lang } from '../i18n';
import { FONT_FAMILY, type FontWeight, fontFiles, textWidth } from './fonts';
import { MONTHS_SHORT, formatNumber } from './format';
import type { ProgressStep } from './progress-steps';
import { stripControlCharacters } from '../../core/shared/text';

/** Sentences on the chart, already translated by the caller. */
export interface ProgressChartLabels {
  title: string;
  /** Legend of the straight line of a steady pace. */
  pace: string;
  /** Legend of the person's counted credits. */
  actual: string;
  today: string;
  /** Legend of the horizontal line at the requirement. */
  required: string;
}

export interface ProgressChartInput {
  period: { start: IsoDate; end: IsoDate };
  required: number;
  asOf: IsoDate;
  /** What each day added to the counted total, in any order (countedProgress gives them). */
  steps: readonly ProgressStep[];
  labels: ProgressChartLabels;
  /** Language of the month names under the x axis. */
  locale: Lang;
}

/** Landscape and large-lettered: Telegram shows it about 400 points wide on a phone. */
export const PROGRESS_CHART_SIZE = { width: 1000, height: 600 } as const;

const { width: W, height: H } = PROGRESS_CHART_SIZE;
const MARGIN = 40;
const TITLE_SIZE = 34;
const TEXT_SIZE = 22;
const TICK_SIZE = 21;
const MAX_X_TICKS = 8;
const COLORS = {
  text: '#111827',
  muted: '#4b5563',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  actual: '#2563eb',
  pace: '#9ca3af',
  required: '#dc2626',
  today: '#f59e0b',
} as const;

/** Renders the chart to a PNG of PROGRESS_CHART_SIZE, off the event loop. */
export async function renderProgressChart(input: ProgressChartInput): Promise<Buffer> {
  // The rasterizer (a native addon) loads where the first chart is drawn: in the bot, a chart thread.
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(progressChartSvg(input), {
    font: {
      loadSystemFonts: false,
      fontFiles: [fontFiles.regular, fontFiles.bold],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: 'original' },
    background: '#ffffff',
    logLevel: 'off',
  });
  return image.asPng();
}

/** The chart as SVG text: everything but rasterizing, so that layout can be checked without pixels. */
export function progressChartSvg(input: ProgressChartInput): string {
  const { labels, locale } = input;
  const startDay = toDayNumber(input.period.start);
  // The line of a steady pace reaches the requirement at the end of the period's last day.
  const endDay = toDayNumber(input.period.end) + 1;
  const asOfDay = toDayNumber(input.asOf);
  const lastDay = Math.min(asOfDay, endDay);
  const line = cumulativeLine(input.steps, input.period.start, input.period.end < input.asOf ? input.period.end : input.asOf);
  const total = line.length > 0 ? line[line.length - 1].total : 0;

  const yTicks = niceTicks(Math.max(input.required, total) * 1.06);
  const yMax = yTicks[yTicks.length - 1];
  const yLabels = yTicks.map((value) => formatNumber(value, locale));

  const parts: string[] = [];
  parts.push(text(MARGIN, 54, ellipsize(labels.title, W - 2 * MARGIN, TITLE_SIZE, 'bold'), { size: TITLE_SIZE, weight: 'bold' }));
  const legend = legendItems(labels, 100);
  parts.push(legend.svg);

  const plot = {
    left: Math.round(MARGIN + Math.max(...yLabels.map((label) => textWidth(label, TICK_SIZE))) + 14),
    right: W - MARGIN,
    top: legend.bottom + 34,
    bottom: H - 76,
  };
  const x = (day: number): number => plot.left + ((day - startDay) / (endDay - startDay)) * (plot.right - plot.left);
  const y = (value: number): number => plot.bottom - (value / yMax) * (plot.bottom - plot.top);

  yTicks.forEach((value, i) => {
    parts.push(
      `<line x1="${plot.left}" y1="${r(y(value))}" x2="${plot.right}" y2="${r(y(value))}" stroke="${COLORS.grid}" stroke-width="1.5"/>`,
    );
    parts.push(text(plot.left - 12, y(value) + TICK_SIZE * 0.35, yLabels[i], { size: TICK_SIZE, anchor: 'end', color: COLORS.muted }));
  });
  for (const tick of monthTicks(input.period.start, input.period.end, locale)) {
    const tx = x(toDayNumber(tick.date));
    parts.push(`<line x1="${r(tx)}" y1="${plot.top}" x2="${r(tx)}" y2="${plot.bottom}" stroke="${COLORS.grid}" stroke-width="1.5"/>`);
    parts.push(`<line x1="${r(tx)}" y1="${plot.bottom}" x2="${r(tx)}" y2="${plot.bottom + 8}" stroke="${COLORS.axis}" stroke-width="2"/>`);
    parts.push(text(tx, plot.bottom + 34, tick.label, { size: TICK_SIZE, anchor: 'middle', color: COLORS.muted }));
    if (tick.year) parts.push(text(tx, plot.bottom + 60, tick.year, { size: TICK_SIZE, anchor: 'middle', color: COLORS.muted }));
  }
  parts.push(
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="${COLORS.axis}" stroke-width="2"/>`,
  );

  // The requirement, and a steady pace towards it.
  parts.push(
    `<line x1="${plot.left}" y1="${r(y(input.required))}" x2="${plot.right}" y2="${r(y(input.required))}" stroke="${COLORS.required}" stroke-width="3" stroke-dasharray="12 8"/>`,
  );
  parts.push(
    // At the left end, where the line of a steady pace is far below it.
    text(plot.left + 6, y(input.required) - 10, formatNumber(input.required, locale), {
      size: TEXT_SIZE,
      weight: 'bold',
      color: COLORS.required,
    }),
  );
  parts.push(
    `<line x1="${r(x(startDay))}" y1="${r(y(0))}" x2="${r(x(endDay))}" y2="${r(y(input.required))}" stroke="${COLORS.pace}" stroke-width="3"/>`,
  );

  if (asOfDay >= startDay) {
    const path = stepPath(line, x, y, startDay, lastDay);
    parts.push(`<path d="${path} V ${r(y(0))} H ${r(x(startDay))} Z" fill="${COLORS.actual}" fill-opacity="0.12"/>`);
    parts.push(`<path d="${path}" fill="none" stroke="${COLORS.actual}" stroke-width="5" stroke-linejoin="round"/>`);
  }
  if (asOfDay >= startDay && asOfDay < endDay) parts.push(todayMarker(x(asOfDay), y(total), total, plot, labels.today, locale));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

interface CumulativePoint {
  day: number;
  total: number;
}

/** Running totals at each day with counted credits inside [start, last]. */
function cumulativeLine(steps: readonly ProgressStep[], start: IsoDate, last: IsoDate): CumulativePoint[] {
  const sorted = steps
    .filter((step) => step.date >= start && step.date <= last)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let totalH = 0;
  return sorted.map((step) => {
    totalH += Math.round(step.credits * 100);
    return { day: toDayNumber(step.date), total: totalH / 100 };
  });
}

function stepPath(
  line: readonly CumulativePoint[],
  x: (day: number) => number,
  y: (value: number) => number,
  startDay: number,
  lastDay: number,
): string {
  const commands = [`M ${r(x(startDay))} ${r(y(0))}`];
  for (const point of line) commands.push(`H ${r(x(point.day))}`, `V ${r(y(point.total))}`);
  commands.push(`H ${r(x(lastDay))}`);
  return commands.join(' ');
}

interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function todayMarker(tx: number, ty: number, total: number, plot: PlotArea, label: string, locale: Lang): string {
  const parts = [
    `<line x1="${r(tx)}" y1="${plot.top}" x2="${r(tx)}" y2="${plot.bottom}" stroke="${COLORS.today}" stroke-width="3" stroke-dasharray="6 6"/>`,
  ];
  const labelWidth = textWidth(label, TEXT_SIZE, 'bold');
  const labelX = Math.min(Math.max(tx, plot.left + labelWidth / 2), plot.right - labelWidth / 2);
  parts.push(text(labelX, plot.top - 10, label, { size: TEXT_SIZE, anchor: 'middle', weight: 'bold', color: COLORS.today }));
  parts.push(`<circle cx="${r(tx)}" cy="${r(ty)}" r="8" fill="${COLORS.actual}" stroke="#ffffff" stroke-width="3"/>`);
  const value = formatNumber(total, locale);
  const valueWidth = textWidth(value, TEXT_SIZE + 4, 'bold');
  const onRight = tx + 14 + valueWidth <= plot.right;
  const valueY = Math.max(ty - 14, plot.top + TEXT_SIZE);
  parts.push(
    text(onRight ? tx + 14 : tx - 14, valueY, value, {
      size: TEXT_SIZE + 4,
      anchor: onRight ? 'start' : 'end',
      weight: 'bold',
      color: COLORS.actual,
    }),
  );
  return parts.join('\n');
}

/**
 * Legend items in rows from left to right, wrapping when the translated words do not fit one row. Today
 * needs none: its marker carries its own label.
 */
function legendItems(labels: ProgressChartLabels, firstBaseline: number): { svg: string; bottom: number } {
  const swatch = 40;
  const rowHeight = 34;
  const items: { label: string; draw: (x: number, y: number) => string }[] = [
    {
      label: labels.actual,
      draw: (x, y) => `<line x1="${x}" y1="${y}" x2="${x + swatch}" y2="${y}" stroke="${COLORS.actual}" stroke-width="5"/>`,
    },
    {
      label: labels.pace,
      draw: (x, y) => `<line x1="${x}" y1="${y}" x2="${x + swatch}" y2="${y}" stroke="${COLORS.pace}" stroke-width="3"/>`,
    },
    {
      label: labels.required,
      draw: (x, y) =>
        `<line x1="${x}" y1="${y}" x2="${x + swatch}" y2="${y}" stroke="${COLORS.required}" stroke-width="3" stroke-dasharray="12 8"/>`,
    },
  ];
  const parts: string[] = [];
  let cx = MARGIN;
  let baseline = firstBaseline;
  for (const item of items) {
    const label = ellipsize(item.label, W - 2 * MARGIN - swatch - 10, TEXT_SIZE);
    const width = swatch + 10 + textWidth(label, TEXT_SIZE);
    if (cx > MARGIN && cx + width > W - MARGIN) {
      cx = MARGIN;
      baseline += rowHeight;
    }
    parts.push(item.draw(cx, baseline - TEXT_SIZE * 0.35));
    parts.push(text(cx + swatch + 10, baseline, label, { size: TEXT_SIZE, color: COLORS.text }));
    cx += width + 32;
  }
  return { svg: parts.join('\n'), bottom: baseline };
}

interface MonthTick {
  date: IsoDate;
  label: string;
  /** Shown under the month at the first tick and at each January. */
  year: string | null;
}

/** First days of months inside the period, every 1, 2, 3, 4, 6, 12 or 24 months: at most MAX_X_TICKS. */
export function monthTicks(start: IsoDate, end: IsoDate, locale: Lang): MonthTick[] {
  const from = parseIsoDate(start);
  const to = parseIsoDate(end);
  if (!from || !to) throw new RangeError(`Not a period of calendar dates: ${start}..${end}`);
  const firstMonth = from.year * 12 + from.month - 1 + (from.day === 1 ? 0 : 1);
  const lastMonth = to.year * 12 + to.month - 1;
  const months = lastMonth - firstMonth + 1;
  const every = [1, 2, 3, 4, 6, 12, 24].find((step) => Math.ceil(months / step) <= MAX_X_TICKS) ?? 60;
  const ticks: MonthTick[] = [];
  for (let index = Math.ceil(firstMonth / every) * every; index <= lastMonth; index += every) {
    const year = Math.floor(index / 12);
    const month = index - year * 12;
    const date = `${year}-${String(month + 1).padStart(2, '0')}-01`;
    if (every >= 12) ticks.push({ date, label: String(year), year: null });
    else ticks.push({ date, label: MONTHS_SHORT[locale][month], year: ticks.length === 0 || month === 0 ? String(year) : null });
  }
  return ticks;
}

/** 0 and 4 to 7 round steps (1, 2, 2.5 or 5 × 10ⁿ) up to at least `max`. */
export function niceTicks(max: number): number[] {
  const target = max > 0 ? max : 1;
  const rough = target / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const count = Math.ceil(target / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6);
}

interface TextStyle {
  size: number;
  weight?: FontWeight;
  anchor?: 'start' | 'middle' | 'end';
  color?: string;
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const attributes = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    `font-size="${style.size}"`,
    style.weight === 'bold' ? 'font-weight="bold"' : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    `fill="${style.color ?? COLORS.text}"`,
  ].filter(Boolean);
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/** Cuts a translated line that would overflow with an ellipsis rather than letting it run off the image. */
function ellipsize(content: string, maxWidth: number, size: number, weight: FontWeight = 'regular'): string {
  if (textWidth(content, size, weight) <= maxWidth) return content;
  const chars = [...content];
  const cut = (length: number): string => `${chars.slice(0, length).join('').trimEnd()}…`;
  // The longest prefix that fits, by bisection: widths grow with length.
  let fits = 0;
  let tooLong = chars.length;
  while (tooLong - fits > 1) {
    const middle = (fits + tooLong) >> 1;
    if (textWidth(cut(middle), size, weight) <= maxWidth) fits = middle;
    else tooLong = middle;
  }
  return cut(fits);
}

/** Markup characters escaped; control characters, which XML cannot carry at all, dropped. */
function escapeXml(value: string): string {
  return stripControlCharacters(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates to 0.1 px keep the SVG short and stable. */
function r(value: number): number {
  return Math.round(value * 10) / 10;
}
