import type { RuleSet } from '../rule-set.schema';

/**
 * The seed article's table «Как начисляются баллы»: points for actions in the cabinet, counted within the
 * calendar year and reset on 1 January.
 *
 * Optional and informal: the article is not a reliable source of law. It states no required total for this
 * table (the points buy "priority service"), so `required` reuses the 100 of the neighbouring accreditation
 * table as a yearly target. Registration happens once, hence its cap of 10. One entry is one action
 * (one file for documents, one event for online events).
 */
export const seedActions: RuleSet = {
  code: 'seed-actions',
  version: 1,
  name: {
    ru: 'Баллы за действия в личном кабинете (по статье о личном кабинете НМО)',
    en: 'Points for cabinet actions (from the НМО cabinet article)',
  },
  unit: 'points',
  source: 'Статья «Личный кабинет НМО на Госуслугах», раздел «Как начисляются баллы»',
  informal: true,
  creditTypes: [
    {
      code: 'registration',
      name: { ru: 'Регистрация и подтверждение профиля', en: 'Registration and profile confirmation' },
      weight: 10,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
      cap: 10,
    },
    {
      code: 'application',
      name: { ru: 'Подача заявки на услугу', en: 'Service application filed' },
      weight: 15,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
    },
    {
      code: 'document',
      name: { ru: 'Прикрепление документа (за каждый файл)', en: 'Document attached (per file)' },
      weight: 5,
      quantity: { min: 1, max: 1, step: 1, unit: 'files' },
    },
    {
      code: 'fee',
      name: { ru: 'Своевременная уплата комиссии', en: 'Fee paid on time' },
      weight: 20,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
    },
    {
      code: 'online-event',
      name: { ru: 'Участие в онлайн-мероприятии НМО', en: 'НМО online event attended' },
      weight: 8,
      quantity: { min: 1, max: 1, step: 1, unit: 'events' },
    },
    {
      code: 'feedback',
      name: { ru: 'Отзыв о полученной услуге', en: 'Feedback on a service' },
      weight: 3,
      quantity: { min: 1, max: 1, step: 1, unit: 'items' },
    },
  ],
  period: { kind: 'calendarYear' },
  required: 100,
  minimums: {},
};
