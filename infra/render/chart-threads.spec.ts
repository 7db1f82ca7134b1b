import { ChartThreads } from './chart-threads';
import { type ProgressChartInput, renderProgressChart } from './progress-chart';

const input: ProgressChartInput = {
  period: { start: '2023-03-15', end: '2028-03-14' },
  required: 144,
  asOf: '2025-11-20',
  steps: [
    { date: '2023-11-01', credits: 36 },
    { date: '2025-02-20', credits: 18 },
  ],
  labels: { title: 'Баллы НМО за цикл', pace: 'Нужный темп', actual: 'Набрано', today: 'Сегодня', required: 'Требуется' },
  locale: 'ru',
};

describe('ChartThreads', () => {
  const threads = new ChartThreads(2);
  afterAll(() => threads.close());

  it('draws in a thread the very PNG the main thread would draw, several at once', async () => {
    const expected = await renderProgressChart(input);
    const other = { ...input, steps: [...input.steps, { date: '2025-06-01', credits: 40 }] };
    const [a, b, c] = await Promise.all([threads.render(input), threads.render(other), threads.render(input)]);
    expect(a.equals(expected)).toBe(true);
    expect(c.equals(expected)).toBe(true);
    expect(b.equals(expected)).toBe(false);
    expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 60_000);

  it('fails a chart whose thread was stopped, and draws the next one in a new thread', async () => {
    const pending = threads.render(input);
    await threads.close();
    await expect(pending).rejects.toThrow(/chart thread stopped/);
    const png = await threads.render(input);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 60_000);
});
