import type { Redis } from 'ioredis';
import type { Config } from '../../infra/config/config';
import type { BotContext, SessionData } from '../context';
import { botSessionStorage } from '../middlewares/redis-session-storage';
import { waitingStep } from './wizards';

/**
 * Steps whose answer is a number the person types (by the step's hint key): a quantity, hours, ЗЕТ, seats,
 * a budget, a limit, a duration, an edited value. A client that shows buttons as numbers (the demo's
 * terminal chat) must send such a number as text, not press the step's «Отмена» with it.
 */
export const TYPED_NUMBER_STEPS: ReadonlySet<string> = new Set([
  'wizard-hint.add.quantity',
  'wizard-hint.edit-credit.quantity',
  'wizard-hint.plan.hours',
  'wizard-hint.dispute.value',
  'wizard-hint.event-new.end',
  'wizard-hint.event-new.zet',
  'wizard-hint.event-new.capacity',
  'wizard-hint.event-edit.value',
  'wizard-hint.program-new.budget',
  'wizard-hint.program-edit.value',
  'wizard-hint.codes.limit',
]);

/** Whether the running wizard's step waits for a typed number. */
export async function awaitsTypedNumber(ctx: BotContext): Promise<boolean> {
  const step = await waitingStep(ctx);
  return step !== null && TYPED_NUMBER_STEPS.has(step.hint);
}

/**
 * The same asked from outside an update, for a private chat: its session read where the bot keeps it.
 * Without a person the deletion step (a linked person's question, and never a number) is not consulted.
 */
export async function chatAwaitsTypedNumber(redis: Redis, config: Pick<Config, 'REDIS_PREFIX'>, chatId: number): Promise<boolean> {
  const sessions = botSessionStorage<SessionData>(redis, config.REDIS_PREFIX);
  const session = (await sessions.read(String(chatId))) ?? {};
  const ctx = { session, services: { redis, config, sessions }, chat: { id: chatId, type: 'private' }, person: undefined };
  return awaitsTypedNumber(ctx as unknown as BotContext);
}
