import { randomBytes } from 'node:crypto';
import type { Organization, Person } from '../../generated/prisma/client';
import { createTestDatabase } from '../../test/support/database';
import { InvitesService } from '../organizations/invites.service';
import { PersonalDataCipher } from '../people/personal-data';
import { ErasureService } from '../privacy/erasure.service';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { WRONG_CODE_WINDOW_MS } from '../shared/wrong-code-throttle';
import { OnboardingService, type StepOutcome, type TelegramUser } from './onboarding.service';

const NOW = new Date('2026-11-25T09:00:00Z');
const ACTOR = { type: 'admin', id: 'test' } as const;

function personOf(outcome: StepOutcome): Person {
  if (!outcome.ok) throw new Error(`step refused: ${outcome.reason}`);
  return outcome.person;
}

describe('the linking journey on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let cipher: PersonalDataCipher;
  let clock: FixedClock;
  let onboarding: OnboardingService;
  let invites: InvitesService;
  let organization: Organization;
  let nextTelegramId = 7700;
  let nextExternalId = 1;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    cipher = new PersonalDataCipher(randomBytes(32));
    clock = new FixedClock(NOW);
    onboarding = new OnboardingService(db, cipher, clock);
    invites = new InvitesService(db, cipher, clock);
    organization = await db.organization.create({ data: { code: 'GKB7', name: 'ГКБ № 7' } });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(() => clock.set(NOW));

  const telegramUser = (id = nextTelegramId++): TelegramUser => ({ id: BigInt(id), chatId: BigInt(id), languageCode: 'ru' });

  /** A roster entry of the organization with a fresh one-time code for it. */
  async function rosterEntryWithCode(fullName: string): Promise<string> {
    const externalId = `T-${nextExternalId++}`;
    await db.rosterEntry.create({ data: { organizationId: organization.id, externalId, fullName, category: 'NURSE' } });
    const issued = await invites.issue(organization.id, { botUsername: 'nmo_test_bot', externalIds: [externalId] }, ACTOR);
    return issued.invites[0].code;
  }

  /** Answers every question up to the confirmation code, as the person would. */
  async function atCodeStep(user: TelegramUser, fullName = 'Иванова Мария Петровна'): Promise<Person> {
    let person = (await onboarding.begin(user)).person;
    person = personOf(await onboarding.chooseLanguage(person, 'ru'));
    person = personOf(await onboarding.giveConsent(person));
    person = personOf(await onboarding.submitContact(person, { phoneNumber: '+79161234567', userId: user.id }, user.id));
    person = personOf(await onboarding.submitFullName(person, fullName));
    person = personOf(await onboarding.chooseCategory(person, 'NURSE', user.id));
    person = personOf(await onboarding.submitOrganization(person, organization.code));
    expect(person.onboardingStep).toBe('INVITE_CODE');
    return person;
  }

  describe('wrong confirmation codes', () => {
    it('are counted per Telegram account: /delete_me and a new registration do not reset them', async () => {
      const user = telegramUser();
      const code = await rosterEntryWithCode('Иванова Мария Петровна');
      const first = await atCodeStep(user);
      for (let i = 0; i < 5; i++) {
        expect(await onboarding.submitInviteCode(first, `ZZZZ-ZZZ${i + 2}`, user.id)).toMatchObject({ ok: false, reason: 'code-invalid' });
      }
      expect(await onboarding.submitInviteCode(first, code, user.id)).toMatchObject({ ok: false, reason: 'too-many-attempts' });

      const erasure = new ErasureService(db, cipher, null, clock);
      expect(await erasure.erase(first.id, NOW)).toMatchObject({ ok: true });
      const again = await atCodeStep(user);
      expect(again.id).not.toBe(first.id);
      expect(await onboarding.submitInviteCode(again, code, user.id)).toMatchObject({
        ok: false,
        reason: 'too-many-attempts',
        retryAfterMinutes: WRONG_CODE_WINDOW_MS / 60_000,
      });

      clock.set(new Date(NOW.getTime() + WRONG_CODE_WINDOW_MS));
      expect(await onboarding.submitInviteCode(again, code, user.id)).toMatchObject({ ok: true, step: 'LINKED' });
    });

    it('of one account do not hold up another', async () => {
      const guesser = telegramUser();
      const guesserAtCode = await atCodeStep(guesser);
      for (let i = 0; i < 5; i++) await onboarding.submitInviteCode(guesserAtCode, `ZZZZ-ZZZ${i + 2}`, guesser.id);
      const nurse = telegramUser();
      const code = await rosterEntryWithCode('Петрова Анна Игоревна');
      const person = await atCodeStep(nurse, 'Петрова Анна Игоревна');
      expect(await onboarding.submitInviteCode(person, code, nurse.id)).toMatchObject({ ok: true, step: 'LINKED' });
    });

    it('do not count a malformed code, which cannot match anything', async () => {
      const user = telegramUser();
      const person = await atCodeStep(user);
      expect(await onboarding.submitInviteCode(person, '12', user.id)).toMatchObject({ ok: false, reason: 'code-format' });
      expect(await db.wrongCodeAttempt.count({ where: { telegramUserId: user.id } })).toBe(0);
    });
  });
});
