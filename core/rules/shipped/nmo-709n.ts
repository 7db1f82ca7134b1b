import type { RuleSet } from '../rule-set.schema';

/**
 * The published rule: приказ Минздрава России от 28.10.2022 № 709н, in force from 1 March 2023 until
 * 1 March 2029. 144 ЗЕТ (1 ЗЕТ = 1 academic hour) per five-year cycle that starts on the date of the
 * last accreditation; at least 72 of them from ПК programs, the rest from ИОМ and educational events.
 *
 * Quantity ranges (hours per entry) are there to catch typos, not to encode law:
 * - ПК 16..1000: 16 hours is the legal floor of a ПК program (приказ Минобрнауки № 499, п. 12) and
 *   НМО programs are usually 18, 36, 72 or 144 hours; we accept 16 rather than 18 so that a genuine
 *   16-hour certificate is never refused; the longest programs are around 500–600 hours, and 1000
 *   leaves room while refusing a mistyped 3600.
 * - ИОМ 1..36: modules on the НМО portal are rated 1 to 36 ЗЕТ, most of them 1–6.
 * - event 1..12: conferences are rated per day (up to about 6 ЗЕТ); 12 covers a two-day event
 *   entered as one record. Longer congresses are entered day by day.
 * Whole hours only (step 1): ЗЕТ are awarded in whole units.
 *
 * The ПК minimum is data: older texts say 74, a variant rule set only changes `minimums.pk`.
 * About 50 ЗЕТ a year is a recommendation; falling behind it is a nudge, never a failure.
 */
export const nmo709n: RuleSet = {
  code: 'nmo-709n',
  version: 1,
  name: {
    ru: 'НМО по приказу Минздрава России № 709н',
    en: 'Continuing medical education under Ministry of Health order No. 709n',
  },
  unit: 'zet',
  source: 'Приказ Минздрава России от 28.10.2022 № 709н',
  inForce: { from: '2023-03-01', to: '2029-02-28' },
  creditTypes: [
    {
      code: 'pk',
      name: { ru: 'Повышение квалификации (ПК)', en: 'Advanced training program' },
      weight: 1,
      quantity: { min: 16, max: 1000, step: 1, unit: 'hours' },
      group: 'pk',
    },
    {
      code: 'iom',
      name: { ru: 'Интерактивный образовательный модуль (ИОМ)', en: 'Interactive educational module' },
      weight: 1,
      quantity: { min: 1, max: 36, step: 1, unit: 'hours' },
      group: 'iom',
    },
    {
      code: 'event',
      name: { ru: 'Образовательное мероприятие', en: 'Educational event' },
      weight: 1,
      quantity: { min: 1, max: 12, step: 1, unit: 'hours' },
      group: 'event',
    },
  ],
  period: { kind: 'cycle', years: 5, anchor: 'lastAccreditation' },
  required: 144,
  minimums: { pk: 72 },
  yearlyRecommendation: 50,
  portfolioWindowMonths: 12,
};
