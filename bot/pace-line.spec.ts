import { paceOf } from '../core/credits/engine';
import { createI18n } from '../infra/i18n';
import { paceSentenceKey } from './pace-line';

/**
 * The pace line says how far behind a person is, from the engine's own figures, in both languages. The
 * engine's spec holds the tier boundaries exactly; here each side of each boundary is worded.
 */
describe('the pace line', () => {
  const i18n = createI18n();
  // 100 required over 100 days, 60 days in: the steady pace expects 60 and has 40 left to bring.
  const line = (lang: 'ru' | 'en', actual: number) => {
    const pace = paceOf(10_000, 10_000 - actual * 100, 0, 99, 60);
    return i18n.getFixedT(lang)(paceSentenceKey(pace), { expected: pace.expected, actual: pace.actual });
  };

  it('in Russian: on track, slightly, well behind, at risk', () => {
    expect(line('ru', 55)).toBe('🟢 Вы идёте по графику: по плану к сегодняшнему дню 60.');
    expect(line('ru', 50)).toBe('🟡 Немного отстаёте от графика: по плану к сегодняшнему дню 60, у вас 50. Время ещё есть.');
    expect(line('ru', 49.99)).toMatch(/^🟠 Заметно отстаёте от графика: по плану к сегодняшнему дню 60, у вас 49.99\./);
    expect(line('ru', 20)).toMatch(/^🟠 Заметно отстаёте/);
    expect(line('ru', 19.99)).toMatch(/^🔴 Есть риск не успеть к концу цикла: по плану к сегодняшнему дню 60, у вас 19.99\./);
    expect(line('ru', 0)).not.toContain('Немного');
  });

  it('in English: the same tiers', () => {
    expect(line('en', 50)).toBe('🟡 A little behind schedule: the plan says 60 by today, you have 50. There is still time.');
    expect(line('en', 49.99)).toMatch(/^🟠 Well behind schedule: the plan says 60 by today, you have 49.99\./);
    expect(line('en', 20)).toMatch(/^🟠 Well behind/);
    expect(line('en', 19.99)).toMatch(/^🔴 At risk of not making it by the end of the cycle/);
  });

  it('every tier has its sentence in both locales (no key shows through)', () => {
    for (const lang of ['ru', 'en'] as const) {
      for (const lag of ['slightly', 'well', 'at-risk'] as const) {
        const key = paceSentenceKey({ status: 'behind', lag });
        expect(i18n.getFixedT(lang)(key, { expected: 1, actual: 0 })).not.toContain(key);
      }
    }
  });
});
