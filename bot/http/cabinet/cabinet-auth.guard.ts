import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { i18n } from 'i18next';
import { OnboardingService } from '../../../core/linking/onboarding.service';
import { type Config, required } from '../../../infra/config/config';
import { asLang } from '../../../infra/i18n';
import { CONFIG, I18N } from '../../../infra/nest/tokens';
import { CABINET_UNLINKED_ALLOWED, type CabinetRequest, cabinetError } from './cabinet-request';
import { checkInitData } from './init-data';

/**
 * Every request of the cabinet's API proves who sent it with Telegram's signed launch data
 * (`Authorization: tma <initData>`), checked here on every request: signature with the bot token, age
 * at most CABINET_INIT_DATA_MAX_AGE. The Telegram user is then mapped to the person linked to them, and
 * only that person's data is ever served. Forged, tampered or expired initData: 401. A user who has not
 * linked the bot: 403 with how to link, except on the session route, which tells the page exactly that.
 */
@Injectable()
export class CabinetAuthGuard implements CanActivate {
  private readonly token: string;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(I18N) private readonly i18n: i18n,
    private readonly onboarding: OnboardingService,
    private readonly reflector: Reflector,
  ) {
    this.token = required(config, 'TELEGRAM_BOT_TOKEN');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<CabinetRequest>();
    const check = checkInitData(request.headers.authorization, this.token, this.config.CABINET_INIT_DATA_MAX_AGE);
    if (!check.ok) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'tma');
      const t = this.i18n.getFixedT(asLang(null));
      throw cabinetError(401, check.reason === 'expired' ? 'expired' : 'unauthorized', t(`cabinet.errors.${check.reason}`));
    }
    const person = await this.onboarding.findByTelegramUser(BigInt(check.user.id));
    const linked = person?.onboardingStep === 'LINKED' ? person : null;
    // The person's chosen language wins over Telegram's guess, as in the chat.
    const lang = asLang(person?.language ?? check.user.languageCode);
    const t = this.i18n.getFixedT(lang);
    request.cabinet = { user: check.user, person: linked, lang, t };
    const unlinkedAllowed = this.reflector.getAllAndOverride<boolean>(CABINET_UNLINKED_ALLOWED, [context.getHandler(), context.getClass()]);
    if (!linked && !unlinkedAllowed) throw cabinetError(403, 'not-linked', t('cabinet.errors.not-linked'));
    return true;
  }
}
