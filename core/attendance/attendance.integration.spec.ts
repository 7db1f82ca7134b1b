import { randomBytes } from 'node:crypto';
import type { Event, Organization, Person, Prisma } from '../../generated/prisma/client';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson } from '../../test/support/people';
import type { EvaluationRequests } from '../credits/credits.service';
import { PersonalDataCipher } from '../people/personal-data';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { nmo709n } from '../rules/shipped/nmo-709n';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { ErasureService } from '../privacy/erasure.service';
import { WRONG_CODE_WINDOW_MS } from '../shared/wrong-code-throttle';
import { AttendanceService, type ClaimOutcome, type IssueOutcome } from './attendance.service';

class RecordingEvaluations implements EvaluationRequests {
  readonly requests: Array<{ personId: string; reason: string }> = [];
  async request(personId: string, reason: string): Promise<void> {
    this.requests.push({ personId, reason });
  }
}

const ACTOR = { type: 'admin', id: 'test' } as const;
const NOW = new Date('2026-11-25T09:00:00Z');

function codesOf(outcome: IssueOutcome) {
  if (!outcome.ok) throw new Error(`issue refused: ${JSON.stringify(outcome)}`);
  return outcome.codes;
}

/** Cyrillic capitals that look like the Latin letters of a code, as a phone keyboard may type them. */
function asTypedInCyrillic(code: string): string {
  const cyrillic: Record<string, string> = { A: 'а', B: 'В', E: 'е', K: 'к', M: 'М', H: 'н', P: 'р', C: 'с', T: 'т', X: 'х' };
  return ` ${code.replace(/[ABEKMHPCTX]/g, (ch) => cyrillic[ch]).replace('-', ' ')} `;
}

describe('attendance codes on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let clock: FixedClock;
  let evaluations: RecordingEvaluations;
  let attendance: AttendanceService;
  let alpha: Organization;
  let beta: Organization;
  let nextTelegramId = 9100;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 12 });
    clock = new FixedClock(NOW);
    evaluations = new RecordingEvaluations();
    attendance = new AttendanceService(db, new PersonalDataCipher(randomBytes(32)), new RuleSetRepository(db), evaluations, clock);
    alpha = await db.organization.create({ data: { code: 'ALPHA', name: 'Больница Альфа' } });
    beta = await db.organization.create({ data: { code: 'BETA', name: 'Больница Бета' } });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(() => clock.set(NOW));

  /** The Telegram user behind a person: wrong codes are counted against them. */
  async function senderOf(person: Person): Promise<bigint> {
    return (await db.telegramIdentity.findFirstOrThrow({ where: { personId: person.id } })).telegramUserId;
  }

  /** A claim as the bot makes it: typed by the person's own Telegram account. */
  async function claim(person: Person, typed: string): Promise<ClaimOutcome> {
    return attendance.claim(person, typed, await senderOf(person));
  }

  const wrongTries = (...senders: bigint[]) =>
    db.wrongCodeAttempt.count({ where: { kind: 'ATTENDANCE', telegramUserId: { in: senders } } });

  const nurse = (fields: Parameters<typeof createLinkedPerson>[2] = {}): Promise<Person> =>
    createLinkedPerson({ db }, nextTelegramId++, { organizationCode: 'ALPHA', category: 'NURSE', ...fields });

  function event(fields: Partial<Prisma.EventUncheckedCreateInput> = {}): Promise<Event> {
    return db.event.create({
      data: {
        organizationId: alpha.id,
        title: 'Сердечно-лёгочная реанимация',
        format: 'COURSE_SESSION',
        kind: 'EVENT',
        startsAt: new Date('2026-11-24T07:00:00Z'),
        endsAt: new Date('2026-11-24T11:00:00Z'),
        zet: 4,
        ...fields,
      },
    });
  }

  async function sharedCode(ev: Event, maxClaims: number, validForDays = 7): Promise<string> {
    return codesOf(await attendance.issue(alpha.id, ev.id, { mode: 'shared', maxClaims, validForDays }, ACTOR))[0].code;
  }

  it('credits the event once as a verified entry, and refuses the second claim', async () => {
    const ev = await event();
    const maria = await nurse();
    const code = await sharedCode(ev, 30);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(await db.attendanceCode.count({ where: { codeHash: { contains: code } } })).toBe(0);

    const first = await claim(maria, code);
    expect(first).toMatchObject({
      ok: true,
      entry: {
        personId: maria.id,
        creditTypeCode: 'event',
        quantity: 4,
        source: 'ATTENDANCE_CODE',
        verification: 'VERIFIED',
        externalRef: ev.id,
        title: ev.title,
      },
    });
    expect((first as Extract<ClaimOutcome, { ok: true }>).entry.occurredOn.toISOString().slice(0, 10)).toBe('2026-11-24');
    expect(evaluations.requests).toContainEqual({ personId: maria.id, reason: 'attendance-claimed' });
    expect(await db.auditLog.count({ where: { action: 'attendance.claimed', actorId: maria.id } })).toBe(1);

    const second = await claim(maria, code);
    expect(second).toMatchObject({ ok: false, reason: 'already-claimed', claimedAt: NOW });
    expect(await db.creditEntry.count({ where: { personId: maria.id } })).toBe(1);
    expect((await db.attendanceCode.findFirstOrThrow({ where: { eventId: ev.id } })).claimCount).toBe(1);
  });

  it('lets the same person claiming twice at the same moment through once', async () => {
    const ev = await event();
    const maria = await nurse();
    const code = await sharedCode(ev, 30);
    const outcomes = await Promise.all([claim(maria, code), claim(maria, code), claim(maria, code)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.reason)).toEqual(['already-claimed', 'already-claimed']);
    expect(await db.creditEntry.count({ where: { personId: maria.id } })).toBe(1);
    expect((await db.attendanceCode.findFirstOrThrow({ where: { eventId: ev.id } })).claimCount).toBe(1);
  });

  it('gives a shared code limited to 3 to exactly 3 of 10 people claiming at once', async () => {
    const ev = await event();
    const people = await Promise.all(Array.from({ length: 10 }, () => nurse()));
    const code = await sharedCode(ev, 3);
    const outcomes = await Promise.all(people.map((p) => claim(p, code)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.reason)).toEqual(Array(7).fill('exhausted'));
    expect((await db.attendanceCode.findFirstOrThrow({ where: { eventId: ev.id } })).claimCount).toBe(3);
    expect(await db.attendanceClaim.count({ where: { eventId: ev.id } })).toBe(3);
    expect(await db.creditEntry.count({ where: { externalRef: ev.id } })).toBe(3);
  });

  it('refuses a code past its expiry, and a revoked one', async () => {
    const ev = await event();
    const [maria, olga] = [await nurse(), await nurse()];
    const code = await sharedCode(ev, 30, 1);
    clock.advance(86_400_000);
    expect(await claim(maria, code)).toMatchObject({ ok: false, reason: 'expired' });

    clock.set(NOW);
    const other = await sharedCode(ev, 30);
    expect(await attendance.revoke(alpha.id, ev.id, ACTOR)).toEqual({ ok: true, revoked: 2 });
    expect(await claim(olga, other)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await db.creditEntry.count({ where: { personId: { in: [maria.id, olga.id] } } })).toBe(0);
    // A real code is not a guess: neither counts towards throttling.
    expect(await wrongTries(await senderOf(maria), await senderOf(olga))).toBe(0);
  });

  it('throttles wrong codes: the 6th try is refused even with the right code, and allowed after the window', async () => {
    const ev = await event();
    const maria = await nurse();
    const code = await sharedCode(ev, 30);
    const lefts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const outcome = await claim(maria, 'ZZZZ-ZZZ' + String(i + 2));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok && outcome.reason === 'wrong-code') lefts.push(outcome.attemptsLeft);
      clock.advance(60_000);
    }
    expect(lefts).toEqual([4, 3, 2, 1, 0]);
    const refused = await claim(maria, code);
    expect(refused).toEqual({ ok: false, reason: 'throttled', retryAt: new Date(NOW.getTime() + WRONG_CODE_WINDOW_MS) });
    expect(await claim(maria, 'hello')).toMatchObject({ reason: 'throttled' });

    clock.set(new Date(NOW.getTime() + WRONG_CODE_WINDOW_MS));
    expect(await claim(maria, code)).toMatchObject({ ok: true });
  });

  it('takes the code typed in lower case, with spaces and Cyrillic look-alikes; a malformed one is not counted', async () => {
    const ev = await event();
    const maria = await nurse();
    let code = await sharedCode(ev, 30);
    // Make sure the code has a letter with a Cyrillic twin, so the test proves the folding.
    while (!/[ABEKMHPCTX]/.test(code)) code = await sharedCode(ev, 30);
    expect(await claim(maria, 'привет')).toEqual({ ok: false, reason: 'malformed' });
    expect(await claim(maria, asTypedInCyrillic(code).toLowerCase())).toMatchObject({ ok: true });
    expect(await wrongTries(await senderOf(maria))).toBe(0);
  });

  it("answers another organization's real code exactly like a code that does not exist, and counts it as a wrong try", async () => {
    const ev = await event();
    const code = await sharedCode(ev, 30);
    const stranger = await createLinkedPerson({ db }, nextTelegramId++, { organizationCode: 'BETA' });
    const guesser = await createLinkedPerson({ db }, nextTelegramId++, { organizationCode: 'BETA' });

    const real = await claim(stranger, code);
    const madeUp = await claim(guesser, code.startsWith('Z') ? 'YYYY-YYYY' : 'ZZZZ-ZZZZ');
    expect(real).toEqual({ ok: false, reason: 'wrong-code', attemptsLeft: 4 });
    expect(real).toEqual(madeUp);
    expect(await wrongTries(await senderOf(stranger))).toBe(1);
    expect(await db.creditEntry.count({ where: { personId: stranger.id } })).toBe(0);
    expect((await db.attendanceCode.findFirstOrThrow({ where: { eventId: ev.id } })).claimCount).toBe(0);
  });

  it('keeps counting wrong codes of a Telegram account after /delete_me and a new registration', async () => {
    const ev = await event();
    const code = await sharedCode(ev, 30);
    const before = await nurse();
    const telegramUserId = await senderOf(before);
    for (let i = 0; i < 5; i++) expect(await claim(before, `ZZZZ-ZZZ${i + 2}`)).toMatchObject({ reason: 'wrong-code' });

    const erasure = new ErasureService(db, new PersonalDataCipher(randomBytes(32)), null, clock);
    expect(await erasure.erase(before.id, NOW)).toMatchObject({ ok: true });
    const after = await createLinkedPerson({ db }, Number(telegramUserId), { organizationCode: 'ALPHA', category: 'NURSE' });
    expect(after.id).not.toBe(before.id);

    expect(await claim(after, code)).toEqual({ ok: false, reason: 'throttled', retryAt: new Date(NOW.getTime() + WRONG_CODE_WINDOW_MS) });
    // Another Telegram account is not held up by it.
    expect(await claim(await nurse(), code)).toMatchObject({ ok: true });
  });

  it('refuses a cancelled event and one not begun yet; another organization cannot see or manage the event', async () => {
    const ev = await event();
    const code = await sharedCode(ev, 30);
    expect(await attendance.issue(beta.id, ev.id, { mode: 'shared', maxClaims: 5 }, ACTOR)).toEqual({
      ok: false,
      reason: 'event-not-found',
    });
    expect(await attendance.claims(beta.id, ev.id)).toBeNull();
    expect(await attendance.revoke(beta.id, ev.id, ACTOR)).toEqual({ ok: false, reason: 'event-not-found' });

    const later = await event({ startsAt: new Date('2026-11-27T07:00:00Z'), endsAt: new Date('2026-11-27T11:00:00Z') });
    expect(await claim(await nurse(), await sharedCode(later, 30))).toMatchObject({ ok: false, reason: 'event-not-started' });

    await db.event.update({ where: { id: ev.id }, data: { status: 'CANCELLED', cancelledAt: NOW } });
    expect(await claim(await nurse(), code)).toMatchObject({ ok: false, reason: 'event-cancelled' });
    expect(await attendance.issue(alpha.id, ev.id, { mode: 'shared', maxClaims: 5 }, ACTOR)).toEqual({
      ok: false,
      reason: 'event-cancelled',
    });
  });

  it('issues personal codes to those signed up, replaces an unused one, and skips who already claimed', async () => {
    const ev = await event();
    const [anna, boris, vera, gone] = [
      await nurse({ fullName: 'Аннова Анна' }),
      await nurse({ fullName: 'Борисов Борис' }),
      await nurse({ fullName: 'Верова Вера' }),
      await nurse({ fullName: 'Отписан' }),
    ];
    for (const p of [anna, boris, vera]) await db.eventRegistration.create({ data: { eventId: ev.id, personId: p.id } });
    await db.eventRegistration.create({ data: { eventId: ev.id, personId: gone.id, cancelledAt: NOW } });

    const first = await attendance.issue(alpha.id, ev.id, { mode: 'personal' }, ACTOR);
    expect(codesOf(first).map((c) => [c.fullName, c.maxClaims])).toEqual([
      ['Аннова Анна', 1],
      ['Борисов Борис', 1],
      ['Верова Вера', 1],
    ]);
    const annasFirst = codesOf(first)[0].code;
    expect(await claim(boris, codesOf(first)[1].code)).toMatchObject({ ok: true });

    const again = await attendance.issue(alpha.id, ev.id, { mode: 'personal' }, ACTOR);
    expect(codesOf(again).map((c) => c.fullName)).toEqual(['Аннова Анна', 'Верова Вера']);
    expect(again).toMatchObject({ alreadyClaimed: [boris.id] });
    expect(await claim(anna, annasFirst)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await claim(anna, codesOf(again)[0].code)).toMatchObject({ ok: true });
    // A personal code is used up by its one claim.
    expect(await claim(vera, codesOf(first)[1].code)).toMatchObject({ ok: false, reason: 'exhausted' });

    const stranger = await createLinkedPerson({ db }, nextTelegramId++, { organizationCode: 'BETA' });
    const byId = await attendance.issue(alpha.id, ev.id, { mode: 'personal', personIds: [vera.id, stranger.id, 'nope'] }, ACTOR);
    expect(codesOf(byId).map((c) => c.personId)).toEqual([vera.id]);
    expect(byId).toMatchObject({ notFound: [stranger.id, 'nope'] });

    const listing = await attendance.claims(alpha.id, ev.id);
    expect(listing?.claims.map((c) => [c.fullName, c.personalCode, c.quantity])).toEqual([
      ['Борисов Борис', true, 4],
      ['Аннова Анна', true, 4],
    ]);
    expect(JSON.stringify(listing)).not.toContain(annasFirst);
    expect(await db.auditLog.count({ where: { action: 'attendance-codes.issued', subjectId: ev.id } })).toBe(3);
  });

  it("refuses to issue for ЗЕТ one entry cannot hold, and a claim the person's rule set cannot count", async () => {
    const congress = await event({ zet: 16, title: 'Конгресс' });
    expect(await attendance.issue(alpha.id, congress.id, { mode: 'shared', maxClaims: 5 }, ACTOR)).toEqual({
      ok: false,
      reason: 'zet-not-creditable',
      params: { typeCode: 'event', zet: 16, problem: 'quantity-above-max', max: 12 },
    });

    const ruleSets = new RuleSetRepository(db);
    const pkOnly = {
      ...nmo709n,
      code: 'pk-only',
      name: { ru: 'Только ПК', en: 'PK only' },
      creditTypes: nmo709n.creditTypes.filter((t) => t.code === 'pk'),
    };
    expect(await ruleSets.install(pkOnly, { type: 'system' })).toMatchObject({ ok: true });
    await db.ruleSetAssignment.create({ data: { organizationId: alpha.id, category: 'PHARMACIST', ruleSetCode: 'pk-only' } });
    const ev = await event();
    const pharmacist = await nurse({ category: 'PHARMACIST' });
    expect(await claim(pharmacist, await sharedCode(ev, 5))).toMatchObject({
      ok: false,
      reason: 'not-creditable',
      problem: { code: 'unknown-type', typeCode: 'event' },
    });
    expect(await db.creditEntry.count({ where: { personId: pharmacist.id } })).toBe(0);
  });
});
