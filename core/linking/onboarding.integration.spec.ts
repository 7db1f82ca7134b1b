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
import { correctableSteps } from './onboarding-steps';

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

  describe('correcting an earlier answer', () => {
    it('offers only answers already given, and never once linked', async () => {
      const user = telegramUser();
      let person = (await onboarding.begin(user)).person;
      expect(correctableSteps(person)).toEqual([]);
      person = personOf(await onboarding.chooseLanguage(person, 'ru'));
      expect(correctableSteps(person)).toEqual(['LANGUAGE']);
      expect(await onboarding.correct(person, 'FULL_NAME')).toMatchObject({ ok: false, reason: 'wrong-step' });
      expect(await onboarding.correct(person, 'CONSENT')).toMatchObject({ ok: false, reason: 'wrong-step' });

      const atCode = await atCodeStep(telegramUser());
      expect(correctableSteps(atCode)).toEqual(['FULL_NAME', 'CATEGORY', 'ORGANIZATION', 'PHONE', 'LANGUAGE']);
      const linked = await db.person.update({ where: { id: atCode.id }, data: { onboardingStep: 'LINKED' } });
      expect(correctableSteps(linked)).toEqual([]);
      expect(await onboarding.correct(linked, 'FULL_NAME')).toMatchObject({ ok: false, reason: 'wrong-step' });
    });

    it('returns to the code with the new organization, the other answers kept, and journals the change', async () => {
      const other = await db.organization.create({ data: { code: 'GKB8', name: 'ГКБ № 8' } });
      const user = telegramUser();
      const person = await atCodeStep(user);
      const correcting = personOf(await onboarding.correct(person, 'ORGANIZATION'));
      expect(correcting.onboardingStep).toBe('ORGANIZATION');
      // Another correction from the middle of one still comes back to the code.
      const switched = personOf(await onboarding.correct(correcting, 'CATEGORY'));
      const category = personOf(await onboarding.chooseCategory(switched, 'DOCTOR', user.id));
      expect(category).toMatchObject({ onboardingStep: 'INVITE_CODE', category: 'DOCTOR' });
      const again = personOf(await onboarding.correct(category, 'ORGANIZATION'));
      const outcome = await onboarding.submitOrganization(again, 'gkb8');
      expect(outcome).toMatchObject({ ok: true, step: 'INVITE_CODE', correction: 'saved' });
      const corrected = personOf(outcome);
      expect(corrected).toMatchObject({ fullName: 'Иванова Мария Петровна', category: 'DOCTOR', phoneHash: person.phoneHash });
      expect(corrected.onboardingDraft).toEqual({ organizationId: other.id });
      const journal = await db.auditLog.findMany({
        where: { action: 'onboarding.answer-corrected', actorId: person.id },
        orderBy: { at: 'asc' },
      });
      expect(journal.map((j) => [j.before, j.after])).toEqual([
        [{ category: 'NURSE' }, { category: 'DOCTOR' }],
        [{ organizationId: organization.id }, { organizationId: other.id }],
      ]);
    });

    it('keeps the answer as it was, journaling nothing, and refuses «keep» outside a correction', async () => {
      const person = await atCodeStep(telegramUser());
      expect(await onboarding.keepAnswer(person)).toMatchObject({ ok: false, reason: 'wrong-step' });
      const correcting = personOf(await onboarding.correct(person, 'LANGUAGE'));
      expect(correcting.onboardingStep).toBe('LANGUAGE');
      const kept = await onboarding.keepAnswer(correcting);
      expect(kept).toMatchObject({ ok: true, step: 'INVITE_CODE', correction: 'kept' });
      expect(personOf(kept).onboardingDraft).toEqual({ organizationId: organization.id });
      // The same language chosen again changes nothing worth a journal line.
      const again = personOf(await onboarding.correct(personOf(kept), 'LANGUAGE'));
      expect(await onboarding.chooseLanguage(again, 'ru')).toMatchObject({ ok: true, step: 'INVITE_CODE', correction: 'saved' });
      expect(await db.auditLog.count({ where: { action: 'onboarding.answer-corrected', actorId: person.id } })).toBe(0);
    });

    it('shows the summary with only the end of the phone number', async () => {
      const person = await atCodeStep(telegramUser());
      expect(await onboarding.summary(person)).toEqual({
        language: 'ru',
        fullName: 'Иванова Мария Петровна',
        category: 'NURSE',
        organization: { code: 'GKB7', name: 'ГКБ № 7' },
        phoneEnding: '4567',
      });
    });

    it('starts over from the phone only once something after the consent was answered', async () => {
      const user = telegramUser();
      let person = (await onboarding.begin(user)).person;
      person = personOf(await onboarding.chooseLanguage(person, 'ru'));
      person = personOf(await onboarding.giveConsent(person));
      expect(await onboarding.startOver(person)).toMatchObject({ ok: false, reason: 'wrong-step' });
      const atCode = await atCodeStep(telegramUser());
      const restarted = personOf(await onboarding.startOver(atCode));
      expect(restarted).toMatchObject({
        onboardingStep: 'PHONE',
        fullName: atCode.fullName,
        category: 'NURSE',
        phoneHash: atCode.phoneHash,
      });
    });
  });

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
