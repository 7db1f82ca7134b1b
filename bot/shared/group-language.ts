import type { Translate } from '../../infra/i18n';
import type { BotServices } from '../services';

/** The support group speaks Russian: agents read cards and notices there in one language. */
export function groupT(services: BotServices): Translate {
  return services.i18n.getFixedT('ru');
}
