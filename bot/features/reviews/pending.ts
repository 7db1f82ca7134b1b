import type { BotServices } from '../../services';
import type { ReviewKind } from '../../../infra/telegram/review-queue';

/** A decision pressed and waiting for the agent's comment (their next message in the review topic). */
export interface PendingDecision {
  kind: ReviewKind;
  id: string;
  decision: 'APPROVED' | 'REJECTED';
  /** Identity rejections only: the reason code picked from the buttons. */
  errorCode?: string;
}

const WAIT_SECONDS = 30 * 60;

const keyOf = (services: BotServices, agentId: number) => `${services.config.REDIS_PREFIX}:reviews:pending:${agentId}`;

export async function awaitComment(services: BotServices, agentId: number, pending: PendingDecision): Promise<void> {
  await services.redis.set(keyOf(services, agentId), JSON.stringify(pending), 'EX', WAIT_SECONDS);
}

/** Takes the awaited decision (once: GETDEL), or null when none waits. */
export async function takePending(services: BotServices, agentId: number): Promise<PendingDecision | null> {
  const raw = await services.redis.getdel(keyOf(services, agentId));
  return raw ? (JSON.parse(raw) as PendingDecision) : null;
}

export async function hasPending(services: BotServices, agentId: number): Promise<boolean> {
  return (await services.redis.exists(keyOf(services, agentId))) === 1;
}
