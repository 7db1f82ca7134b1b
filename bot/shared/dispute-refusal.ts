import type { DisputeRefusal } from '../../core/disputes/disputes.service';
import type { Translate } from '../../infra/i18n';
import { provisionalNote } from '../../infra/provisional-note';
import { moscowDayIn } from './moscow-day';

/** Why a dispute or an appeal was refused, in the person's words: the chat's /dispute and /appeal and the cabinet say the same. */
export function disputeRefusalText(t: Translate, lang: 'ru' | 'en', refusal: DisputeRefusal): string {
  if (refusal.reason === 'appeal-window-closed')
    return t('disputes.refused.appeal-window-closed', {
      date: moscowDayIn(lang, refusal.params.until),
      provisional: provisionalNote(t, refusal.params.fallbackYear),
    });
  return t(`disputes.refused.${refusal.reason}`, 'params' in refusal ? refusal.params : {});
}
