import type { Appeal, Application, Dispute } from '../../generated/prisma/client';
import { moscowDateOf } from '../../core/calendar/deadline';

type AppealBody = Omit<Appeal, never> & { dueDate: string };
type DisputeBody = Omit<Dispute, never> & { dueDate: string; appeal: AppealBody | null };

/** Due dates are also given as the Moscow calendar date a reviewer plans by. */
export function disputeView(dispute: Dispute & { appeal?: Appeal | null }): DisputeBody {
  const { appeal, ...rest } = dispute;
  return { ...rest, dueDate: moscowDateOf(dispute.dueAt), appeal: appeal ? appealBody(appeal) : null };
}

export function appealView(appeal: Appeal & { dispute?: Dispute }): AppealBody & { dispute?: DisputeBody } {
  const { dispute, ...rest } = appeal;
  return { ...appealBody(rest), ...(dispute ? { dispute: disputeView(dispute) } : {}) };
}

function appealBody(appeal: Appeal): AppealBody {
  return { ...appeal, dueDate: moscowDateOf(appeal.dueAt) };
}

export function applicationView(application: Application): Application {
  return application;
}
