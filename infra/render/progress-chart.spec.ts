import {
  PROGRESS_CHART_SIZE,
  type ProgressChartInput,
  monthTicks,
  niceTicks,
  progressChartSvg,
  renderProgressChart,
} from './progress-chart';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a PNG must start with right after its signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const input: ProgressChartInput = {
  period: { start: '2023-03-15', end: '2028-03-14' },
  required: 144,
  asOf: '2025-11-20',
  steps: [
    { date: '2023-11-01', credits: 36 },
    { date: '2023-05-10', credits: 14 },
    { date: '2025-02-20', credits: 18 },
  ],
  labels: { title: 'Баллы НМО за цикл', pace: 'Нужный темп', actual: 'Набрано', today: 'Сегодня', required: 'Требуется' },
  locale: 'ru',
};

describe('renderProgressChart', () => {
  it('draws a PNG of the promised size', async () => {
    const png = await renderProgressChart(input);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual(PROGRESS_CHART_SIZE);
  });

  it('gives the same bytes for the same input and other bytes for other data', async () => {
    const [first, again, more] = await Promise.all([
      renderProgressChart(input),
      renderProgressChart(input),
      renderProgressChart({ ...input, steps: [...input.steps, { date: '2025-06-01', credits: 40 }] }),
    ]);
    expect(again.equals(first)).toBe(true);
    expect(more.equals(first)).toBe(false);
  });

  it('has glyphs for Cyrillic: two words of as many letters draw differently, as missing-glyph boxes would not', async () => {
    const [one, other] = await Promise.all([
      renderProgressChart({ ...input, labels: { ...input.labels, title: 'Набрано' } }),
      renderProgressChart({ ...input, labels: { ...input.labels, title: 'Ёжикщюй' } }),
    ]);
    expect(other.equals(one)).toBe(false);
  });
});

describe('progressChartSvg', () => {
  it('escapes markup and drops control characters in translated words', () => {
    const svg = progressChartSvg({ ...input, labels: { ...input.labels, title: 'A & <b>"B"</b>\u0007' } });
    expect(svg).toContain('A &#38; &#60;b&#62;&#34;B&#34;&#60;/b&#62;</text>');
  });

  it('ends the step line at today with the counted total', () => {
    expect(progressChartSvg(input)).toMatch(/>68<\/text>/);
  });

  it('draws no today marker once the period is over', () => {
    const svg = progressChartSvg({ ...input, asOf: '2029-01-01' });
    expect(svg).not.toContain('Сегодня</text>');
  });

  it('cuts a title too long for the width with an ellipsis', () => {
    const svg = progressChartSvg({ ...input, labels: { ...input.labels, title: 'Очень длинный заголовок '.repeat(10) } });
    expect(svg).toMatch(/…<\/text>/);
  });
});

describe('monthTicks', () => {
  it('marks months of a calendar year, with the year under the first', () => {
    const ticks = monthTicks('2025-01-01', '2025-12-31', 'ru');
    expect(ticks.map((tick) => tick.label)).toEqual(['янв', 'мар', 'май', 'июл', 'сен', 'ноя']);
    expect(ticks[0].year).toBe('2025');
    expect(ticks.slice(1).every((tick) => tick.year === null)).toBe(true);
  });

  it('marks years of a five-year cycle', () => {
    expect(monthTicks('2023-03-15', '2028-03-14', 'en').map((tick) => tick.date)).toEqual([
      '2024-01-01',
      '2025-01-01',
      '2026-01-01',
      '2027-01-01',
      '2028-01-01',
    ]);
  });
});

describe('niceTicks', () => {
  it('steps by round numbers up to at least the maximum', () => {
    expect(niceTicks(152.6)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(53)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
