import type { RuleSet } from '../rule-set.schema';

/**
 * The seed article's table «Обязательный объем баллов для аккредитации»: 100 points, with application 10,
 * document 5, successful audit 15 and training session 2 points each.
 *
 * Optional: the article is not a reliable source of law, and where it contradicts 709н the published rule
 * wins. It names no period ("в установленный срок", "к окончанию отчётного периода"), so we use the
 * accreditation's own five-year cycle from the last accreditation. One entry is one action (quantity 1),
 * so a suggestion of "3 audits" is three things to do, not one entry with quantity 3.
 */
export const seedAccreditation: RuleSet = {
  code: 'seed-accreditation',
  version: 1,
  name: {
    ru: 'Баллы для аккредитации (по статье о личном кабинете НМО)',
    en: 'Accreditation points (from the НМО cabinet article)',
  },
  unit: 'points',
  source: 'Статья «Личный кабинет НМО на Госуслугах», раздел «Обязательный объем баллов для аккредитации»',
  informal: true,
  creditTypes: [
    {
      code: 'application',
      name: { ru: 'Оформление и подача заявки', en: 'Application filed' },
      weight: 10,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
    },
    {
      code: 'document',
      name: { ru: 'Предоставление обязательного документа', en: 'Required document provided' },
      weight: 5,
      quantity: { min: 1, max: 1, step: 1, unit: 'files' },
    },
    {
      code: 'audit',
      name: { ru: 'Успешная проверка (аудит)', en: 'Successful audit' },
      weight: 15,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
    },
    {
      code: 'training',
      name: { ru: 'Обучающее занятие', en: 'Training session' },
      weight: 2,
      quantity: { min: 1, max: 1, step: 1, unit: 'sessions' },
    },
  ],
  period: { kind: 'cycle', years: 5, anchor: 'lastAccreditation' },
  required: 100,
  minimums: {},
};
