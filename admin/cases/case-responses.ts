import type { Appeal, Application, Dispute } from '../../generated/prisma/client';
import { moscowDateOf } from '../../core/calendar/deadline';

/**
 * `provisional: true` marks a date counted over a year with no production calendar loaded yet (the
 * stored *FallbackYear names it): it follows ТК РФ ст. 112 alone and is recomputed when that year is loaded.
 */
type AppealBody = Omit<Appeal, never> & { dueDate: string; provisional: boolean };
type AppealWindowBody = { endsAt: Date; endDate: string; provisional: boolean; fallbackYear: number | null };
type DisputeBody = Omit<Dispute, never> & {
  dueDate: string;
  provisional: boolean;
  appealWindow: AppealWindowBody | null;
  appeal: AppealBody | null;
};

/** Due dates are also given as the Moscow calendar date a reviewer plans by. */
export function disputeView(dispute: Dispute & { appeal?: Appeal | null }): DisputeBody {
  const { appeal, ...rest } = dispute;
  return {
    ...rest,
    dueDate: moscowDateOf(dispute.dueAt),
    provisional: dispute.dueFallbackYear !== null,
    appealWindow: dispute.appealWindowEndsAt
      ? {
          endsAt: dispute.appealWindowEndsAt,
          endDate: moscowDateOf(dispute.appealWindowEndsAt),
          provisional: dispute.appealWindowFallbackYear !== null,
          fallbackYear: dispute.appealWindowFallbackYear,
        }
      : null,
    appeal: appeal ? appealBody(appeal) : null,
  };
}

export function appealView(appeal: Appeal & { dispute?: Dispute }): AppealBody & { dispute?: DisputeBody } {
  const { dispute, ...rest } = appeal;
  return { ...appealBody(rest), ...(dispute ? { dispute: disputeView(dispute) } : {}) };
}

function appealBody(appeal: Appeal): AppealBody {
  return { ...appeal, dueDate: moscowDateOf(appeal.dueAt), provisional: appeal.dueFallbackYear !== null };
}

export function applicationView(application: Application): Application {
  return application;
}
