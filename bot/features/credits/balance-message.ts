import { escapeHtml } from '../../../core/shared/text';
import type { Balance } from '../../../core/credits/credits.service';
import type { Lang, Translate } from '../../../infra/i18n';
import { formatDate, formatNumber, progressBar } from '../../format';
import { paceSentenceKey } from '../../pace-line';

/**
 * The balance in a few lines a nurse reads on a night shift: where she is, what is left, by when,
 * whether the pace holds, and what would close the gap.
 */
export function balanceMessage(balance: Balance, t: Translate, lang: Lang): string {
  const { ruleSet, evaluation: e } = balance;
  const n = (v: number) => formatNumber(v, lang);
  const unit = t(`credits.unit.${ruleSet.unit}`);
  const typeName = (code: string) => ruleSet.creditTypes.find((ct) => ct.code === code)?.name[lang] ?? code;
  const amount = (code: string, quantity: number) => {
    const type = ruleSet.creditTypes.find((ct) => ct.code === code);
    return type ? t(`add.unit-count.${type.quantity.unit}`, { count: quantity, formattedCount: n(quantity) }) : n(quantity);
  };
  const lines: string[] = [];

  lines.push(t('credits.title', { ruleSet: escapeHtml(ruleSet.name[lang]) }));
  lines.push(
    t('credits.period', {
      start: formatDate(e.period.start, lang),
      end: formatDate(e.period.end, lang),
      days: e.daysLeft,
      count: Math.max(e.daysLeft, 0),
    }),
  );
  lines.push('');
  lines.push(`${progressBar(e.percent)} ${n(e.percent)}%`);
  lines.push(t('credits.total', { total: n(e.total), required: n(e.required), unit }));
  lines.push(e.met ? t('credits.met') : t('credits.remaining', { remaining: n(e.remaining), unit }));

  lines.push('');
  lines.push(t('credits.by-type'));
  for (const type of e.byType) {
    const capped = type.cap !== undefined && type.cap !== null && type.raw > type.counted ? t('credits.capped', { cap: n(type.cap) }) : '';
    lines.push(`• ${escapeHtml(typeName(type.code))}: ${n(type.counted)}${capped}`);
  }
  for (const group of e.byGroup) {
    if (group.minimum !== null && group.minimum > 0) {
      lines.push(
        group.shortfall > 0
          ? t('credits.group-short', {
              group: t(`credits.group.${group.group}`, { defaultValue: group.group }),
              minimum: n(group.minimum),
              shortfall: n(group.shortfall),
              unit,
            })
          : t('credits.group-ok', {
              group: t(`credits.group.${group.group}`, { defaultValue: group.group }),
              minimum: n(group.minimum),
              unit,
            }),
      );
    }
  }

  if (!e.met) {
    lines.push('');
    // Whole numbers: «106,48 by today» reads as false precision to a person planning courses.
    lines.push(t(paceSentenceKey(e.pace), { expected: n(Math.round(e.pace.expected)), actual: n(Math.round(e.pace.actual)), unit }));
  }
  if (!e.met && e.suggestions.length > 0) {
    lines.push('');
    lines.push(t('credits.suggestions'));
    const options = e.suggestions.slice(0, 3).map((s) =>
      s.actions
        .map((item) =>
          t('credits.suggestion-item', {
            count: item.count,
            type: escapeHtml(typeName(item.typeCode)),
            each: amount(item.typeCode, item.quantityEach),
          }),
        )
        .join(' + '),
    );
    lines.push(options.map((o) => `• ${o}`).join(`\n${t('credits.or')}\n`));
  }
  for (const warning of e.warnings) lines.push('', `⚠️ ${t(`credits.warning.${warning}`, { defaultValue: warning })}`);
  return lines.join('\n');
}
