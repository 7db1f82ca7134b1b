import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Cycle, ProgressPoint } from '../../../bot/http/cabinet/wire';
import { useStrings } from '../i18n/strings';

const DAY = 86_400;

function seconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

/** The running total at the end of a day: the last point on or before it. */
function totalAt(points: readonly ProgressPoint[], day: number): number {
  let total = 0;
  for (const point of points) {
    if (seconds(point.date) > day) break;
    total = point.total;
  }
  return total;
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * Credits over the cycle, as the chat's chart draws them (credits against the steady pace to the
 * requirement) and more: the ПК minimum and the ПК credits, and a cursor that reads any day's values
 * when the person touches the chart. Lines stop at today; the pace and the requirement run to the end.
 */
export function ProgressChart({ cycle }: { cycle: Cycle }) {
  const { t, n, date } = useStrings();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const start = seconds(cycle.period.start);
    const end = seconds(cycle.period.end) + DAY;
    const today = Math.min(seconds(cycle.asOf), end);
    const days = new Set<number>([start, today, end]);
    for (const point of cycle.progress) days.add(seconds(point.date));
    for (const group of cycle.groups) for (const point of group.progress) days.add(seconds(point.date));
    const xs = [...days].filter((d) => d >= start && d <= end).sort((a, b) => a - b);
    const pace = (d: number) => Math.round(((cycle.required * (d - start)) / (end - start)) * 100) / 100;
    const upToToday = (points: readonly ProgressPoint[]) => xs.map((d) => (d <= today ? totalAt(points, d) : null));

    const accent = themeColor('--tg-theme-button-color', '#2481cc');
    const hint = themeColor('--tg-theme-hint-color', '#707579');
    const text = themeColor('--tg-theme-text-color', '#000000');
    const danger = themeColor('--tg-theme-destructive-text-color', '#d14e4e');
    const group = cycle.groups[0];
    const series: uPlot.Series[] = [
      { label: t('chart.date'), value: (_u, v) => (v == null ? '' : date(new Date(v * 1000).toISOString())) },
      {
        label: t('chart.total'),
        stroke: accent,
        width: 3,
        paths: uPlot.paths.stepped!({ align: 1 }),
        value: (_u, v) => (v == null ? '—' : n(v)),
      },
      { label: t('chart.pace'), stroke: hint, width: 1.5, dash: [6, 4], value: (_u, v) => (v == null ? '—' : n(Math.round(v))) },
      {
        label: t('chart.required', { required: n(cycle.required) }),
        stroke: danger,
        width: 1.5,
        value: (_u, v) => (v == null ? '—' : n(v)),
      },
    ];
    const data: uPlot.AlignedData = [xs, upToToday(cycle.progress), xs.map(pace), xs.map(() => cycle.required)];
    if (group) {
      series.push(
        {
          label: group.name,
          stroke: '#8e44ad',
          width: 2,
          paths: uPlot.paths.stepped!({ align: 1 }),
          value: (_u, v) => (v == null ? '—' : n(v)),
        },
        { label: t('chart.minimum', { group: group.name, minimum: n(group.minimum) }), stroke: '#8e44ad', width: 1, dash: [2, 3] },
      );
      data.push(
        upToToday(group.progress),
        xs.map(() => group.minimum),
      );
    }
    const options: uPlot.Options = {
      width: element.clientWidth,
      height: Math.round(Math.min(280, element.clientWidth * 0.7)),
      series,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, cycle.required) * 1.05] } },
      axes: [
        { stroke: hint, grid: { stroke: 'rgba(127,127,127,0.15)' }, ticks: { show: false }, font: '11px system-ui' },
        { stroke: hint, grid: { stroke: 'rgba(127,127,127,0.15)' }, ticks: { show: false }, size: 40, font: '11px system-ui' },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    };
    element.style.color = text;
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: element.clientWidth, height: Math.round(Math.min(280, element.clientWidth * 0.7)) }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [cycle, t, n, date]);

  return <div ref={box} className="chart" data-testid="progress-chart" aria-label={t('chart.label')} role="img" />;
}
