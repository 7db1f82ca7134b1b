import { HttpException, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Person } from '../../../generated/prisma/client';
import type { Lang, Translate } from '../../../infra/i18n';
import type { CabinetUser } from './init-data';

/** Who is calling the cabinet's API: a Telegram user proven by initData, and the person linked to them. */
export interface CabinetCaller {
  user: CabinetUser;
  /** null: this Telegram user has not linked the bot yet (only the session route answers them). */
  person: Person | null;
  lang: Lang;
  t: Translate;
}

export interface CabinetRequest extends Request {
  cabinet?: CabinetCaller;
}

/** Marks a route an unlinked Telegram user may call (the session, which tells them how to link). */
export const CABINET_UNLINKED_ALLOWED = 'cabinet:unlinked-allowed';
export const UnlinkedAllowed = () => SetMetadata(CABINET_UNLINKED_ALLOWED, true);

/** The caller the guard proved; its absence is a wiring mistake, never a reason to let anyone in. */
export function callerOf(request: Request): CabinetCaller {
  const caller = (request as CabinetRequest).cabinet;
  if (!caller) throw cabinetError(401, 'unauthorized', 'no Telegram sign-in');
  return caller;
}

/** The linked person behind the request (the guard already refused everyone else on these routes). */
export function personOf(request: Request): Person {
  const { person } = callerOf(request);
  if (!person) throw cabinetError(403, 'not-linked', 'not linked');
  return person;
}

/**
 * Every refusal of the cabinet's API has one shape: a machine code the page can branch on and a sentence
 * in the person's language it can show as is.
 */
export function cabinetError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): HttpException {
  return new HttpException({ statusCode: status, error: code, message, ...extra }, status);
}
