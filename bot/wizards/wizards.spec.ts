import { Redis } from 'ioredis';
import { FixedClock } from '../../core/shared/clock';
import { createI18n } from '../../infra/i18n';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import type { BotContext, SessionData } from '../context';
import { botSessionStorage } from '../middlewares/redis-session-storage';
import { expectIdentityUpload } from '../shared/identity-upload';
import { openDeletionRequest } from '../features/privacy/deletion-request';
import { expectQuietHours } from '../features/settings/pending-input';
import type { Wizard } from './wizard';
import { cancelWizards, waitingStep, WIZARDS } from './wizards';

/**
 * Every step of every wizard names a hint both languages define, and /cancel's sentence too: a
 * sticker in the middle of any of them must never show a raw key. Steps are listed here as the drafts
 * declare them; a new step without a hint fails below.
 */
const STEPS: Array<[string, Partial<SessionData>]> = [
  ...(['type', 'quantity', 'date', 'proof', 'confirm'] as const).map((step): [string, Partial<SessionData>] => [
    `add ${step}`,
    { addCredit: { nonce: 'n', step } },
  ]),
  ...(['quantity', 'date'] as const).map((field): [string, Partial<SessionData>] => [
    `edit ${field}`,
    { editCredit: { entryId: 'e', field } },
  ]),
  ...(['goal', 'report-text', 'report-url'] as const).map((step): [string, Partial<SessionData>] => [
    `portfolio ${step}`,
    { portfolio: { step } },
  ]),
  ...(['kind', 'title', 'dates', 'hours', 'provider', 'confirm'] as const).map((step): [string, Partial<SessionData>] => [
    `plan ${step}`,
    { plan: { nonce: 'n', step } },
  ]),
  ...(['audience', 'text', 'confirm'] as const).map((step): [string, Partial<SessionData>] => [
    `announce ${step}`,
    { announce: { nonce: 'n', step, category: null } },
  ]),
  ['attendance code', { attendanceCode: { awaiting: true } }],
  ...(['event', 'mode', 'limit', 'days', 'revoke'] as const).map((step): [string, Partial<SessionData>] => [
    `codes ${step}`,
    { codes: { nonce: 'n', step } },
  ]),
  ...(['title', 'format', 'kind', 'audience', 'start', 'end', 'where', 'zet', 'capacity', 'program', 'confirm'] as const).map(
    (step): [string, Partial<SessionData>] => [`event_new ${step}`, { eventNew: { nonce: 'n', step } }],
  ),
  ...(['move', 'cancel'] as const).map((action): [string, Partial<SessionData>] => [
    `events_admin ${action}`,
    { eventAdmin: { action, eventId: 'e' } },
  ]),
  ['event edit, no field yet', { eventEdit: { nonce: 'n', eventId: 'e' } }],
  ['event edit, typed field', { eventEdit: { nonce: 'n', eventId: 'e', field: 'title' } }],
  ['event edit, button field', { eventEdit: { nonce: 'n', eventId: 'e', field: 'kind' } }],
  ...(['title', 'goal', 'criteria', 'budget'] as const).map((step): [string, Partial<SessionData>] => [
    `program ${step}`,
    { programNew: { nonce: 'n', step } },
  ]),
  ['program archive', { programEdit: { nonce: 'n', programId: 'p', action: 'archive' } }],
  ['program edit, no field yet', { programEdit: { nonce: 'n', programId: 'p', action: 'edit' } }],
  ['program edit, field', { programEdit: { nonce: 'n', programId: 'p', action: 'edit', field: 'goal' } }],
  ...(['kind', 'subject', 'reason', 'value', 'evidence', 'confirm'] as const).map((step): [string, Partial<SessionData>] => [
    `dispute ${step}`,
    { dispute: { nonce: 'n', step, documentIds: [] } },
  ]),
  ['appeal', { appeal: { disputeId: 'd' } }],
];

describe('wizard hints', () => {
  const i18n = createI18n();
  const defined = (key: string) => ['ru', 'en'].every((lng) => i18n.exists(key, { lng, fallbackLng: false }));
  let redis: Redis;
  let chatId = 1;
  /** Wizards some case above found running: at the end, every one of them. */
  const covered = new Set<Wizard>();

  async function noteRunning(ctx: BotContext): Promise<void> {
    for (const wizard of WIZARDS) if (await wizard.waiting(ctx)) covered.add(wizard);
  }

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  /** What the wizards read of an update: the session, the chat and person, Redis under a prefix of its own. */
  function contextWith(session: Partial<SessionData>): BotContext {
    const id = chatId++;
    return {
      session: { ...session },
      chat: { id, type: 'private' },
      person: { id: `person-${id}` },
      services: {
        redis,
        config: { REDIS_PREFIX: testRedisPrefix() },
        sessions: botSessionStorage<SessionData>(redis, testRedisPrefix()),
        clock: new FixedClock(new Date('2026-11-25T09:00:00Z')),
      },
    } as unknown as BotContext;
  }

  it.each(STEPS)('%s: names a hint and a cancellation both languages define, and /cancel ends it', async (_name, session) => {
    const ctx = contextWith(session);
    await noteRunning(ctx);
    const step = await waitingStep(ctx);
    expect(step).not.toBeNull();
    expect(defined(step!.hint)).toBe(true);
    const said = await cancelWizards(ctx);
    expect(said).toHaveLength(1);
    expect(defined(said[0])).toBe(true);
    expect(await waitingStep(ctx)).toBeNull();
  });

  it.each([
    ['custom quiet hours', expectQuietHours],
    ['identity document upload', expectIdentityUpload],
    ['deletion between its two presses', openDeletionRequest],
  ] as const)('%s (kept in Redis): a hint, and /cancel withdraws the question', async (_name, ask) => {
    const ctx = contextWith({});
    expect(await waitingStep(ctx)).toBeNull();
    await ask(ctx);
    await noteRunning(ctx);
    const step = await waitingStep(ctx);
    expect(step).not.toBeNull();
    expect(defined(step!.hint)).toBe(true);
    const said = await cancelWizards(ctx);
    expect(said).toHaveLength(1);
    expect(defined(said[0])).toBe(true);
    expect(await waitingStep(ctx)).toBeNull();
  });

  it('covers every wizard listed, each listed once', () => {
    expect(new Set(WIZARDS).size).toBe(WIZARDS.length);
    expect(WIZARDS.filter((w) => !covered.has(w))).toEqual([]);
  });
});
