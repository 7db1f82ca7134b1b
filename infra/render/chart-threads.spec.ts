import { ChartThreads, type ScheduleRetirement } from './chart-threads';
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
  const threads = new ChartThreads({ size: 2 });
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

  describe('a thread with nothing to draw', () => {
    /** Retirements as planned, fired by the test instead of a clock: the idle time "passes" on demand. */
    function manualRetirements() {
      const planned: Array<{ retire: () => void; ms: number; cancelled: boolean }> = [];
      const schedule: ScheduleRetirement = (retire, ms) => {
        const entry = { retire, ms, cancelled: false };
        planned.push(entry);
        return () => {
          entry.cancelled = true;
        };
      };
      const pass = () => planned.filter((p) => !p.cancelled).forEach((p) => p.retire());
      return { planned, schedule, pass };
    }

    it('retires after its idle time, and the next chart starts a thread again', async () => {
      const time = manualRetirements();
      const pool = new ChartThreads({ size: 1, idleMs: 45_000, scheduleRetirement: time.schedule });
      try {
        const first = await pool.render(input);
        expect(pool.running).toBe(1);
        expect(time.planned.map((p) => p.ms)).toEqual([45_000]);
        time.pass();
        expect(pool.running).toBe(0);
        const again = await pool.render(input);
        expect(again.equals(first)).toBe(true);
        expect(pool.running).toBe(1);
      } finally {
        await pool.close();
      }
    }, 60_000);

    it('is kept when a chart comes before its idle time ran out', async () => {
      const time = manualRetirements();
      const pool = new ChartThreads({ size: 1, scheduleRetirement: time.schedule });
      try {
        await pool.render(input);
        const next = pool.render(input);
        // The chart in hand cancelled the retirement planned before it.
        expect(time.planned.map((p) => p.cancelled)).toEqual([true]);
        time.pass();
        expect(pool.running).toBe(1);
        expect((await next).subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(time.planned.map((p) => p.cancelled)).toEqual([true, false]);
      } finally {
        await pool.close();
      }
    }, 60_000);
  });
});
