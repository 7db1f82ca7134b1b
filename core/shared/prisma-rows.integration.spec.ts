import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Prisma } from '../../generated/prisma/client';
import { createTestDatabase } from '../../test/support/database';
import { CreditsService } from '../credits/credits.service';
import { OnboardingService, PEOPLE_BY_TELEGRAM_USERS } from '../linking/onboarding.service';
import { CalendarRepository } from '../calendar/calendar.repository';
import { PersonalDataCipher } from '../people/personal-data';
import { SupportService } from '../support/support.service';
import { supportTicketRows } from '../support/support-ticket-row';
import { parseSupportHours } from '../support/working-hours';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from './clock';
import { creditEntryRows } from '../credits/credit-entry-row';
import { personRows } from '../people/person-row';
import { createDatabase, type Database, sqlPoolOf } from './database';
import type { PrismaRows } from './prisma-rows';

/** The reads every update makes in SQL on the pool (prisma-rows.ts) give exactly what Prisma's client gives. */
describe('rows read in SQL as Prisma gives them', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let onboarding: OnboardingService;
  let credits: CreditsService;
  const clock = new FixedClock(new Date('2026-12-03T09:00:00Z'));

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    onboarding = new OnboardingService(db, new PersonalDataCipher(randomBytes(32)), clock);
    credits = new CreditsService(db, new RuleSetRepository(db), { request: async () => undefined }, clock);
  });

  /**
   * Tests run with TZ=UTC, where a date parsed as local midnight would pass for UTC midnight. So every
   * column Prisma gives as a Date must arrive as timestamptz (OID 1184), which pg parses by its offset,
   * not by the process's zone: that is what makes the reads below hold in Vladivostok as well.
   */
  async function expectDatesWithOffset(rows: PrismaRows<object>, table: string, dateFields: readonly string[]): Promise<void> {
    const { fields } = await sqlPoolOf(db).query(`SELECT ${rows.columns('x')} FROM "${table}" x LIMIT 0`);
    const types = new Map(fields.map((f) => [f.name, f.dataTypeID]));
    for (const name of dateFields) expect([name, types.get(name)]).toEqual([name, 1184]);
  }

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  async function personWithIdentity(telegramUserId: bigint, data: Parameters<Database['person']['create']>[0]['data'] = {}) {
    return db.person.create({
      data: { ...data, telegramIdentities: { create: { telegramUserId, chatId: telegramUserId } } },
    });
  }

  it('gives every field of a person who has all of them as Prisma does, whatever the time zone of the process', async () => {
    const organization = await db.organization.create({ data: { code: 'ROW1', name: 'ГКБ № 1' } });
    await personWithIdentity(9001n, {
      language: 'en',
      onboardingStep: 'LINKED',
      onboardingDraft: { invite: 'ABCD-EFGH', nested: { list: [1, 'два', null] } },
      fullName: 'Петрова Анна Сергеевна',
      category: 'PHARMACIST',
      specialty: 'Фармация',
      phoneEnc: Buffer.from([0, 1, 2, 254, 255]),
      phoneHash: 'ph',
      snilsEnc: Buffer.from('snils'),
      snilsHash: 'sh',
      innEnc: Buffer.from([]),
      innHash: 'ih',
      lastAccreditationDate: new Date('2023-03-15T00:00:00Z'),
      timeZone: 'Asia/Vladivostok',
      quietHoursStart: 60,
      quietHoursEnd: 420,
      mutedKinds: ['DEADLINE_REMINDER', 'EVENT_REMINDER'],
      unreachableSince: new Date('2026-11-30T23:59:59.123Z'),
      organizationId: organization.id,
      orgRole: 'ADMIN',
    });
    const expected = await db.person.findFirst({ where: { telegramIdentities: { some: { telegramUserId: 9001n } } } });
    expect(expected?.lastAccreditationDate).toEqual(new Date('2023-03-15T00:00:00Z'));

    expect(await onboarding.findByTelegramUser(9001n)).toStrictEqual(expected);
    await expectDatesWithOffset(personRows, 'Person', ['createdAt', 'updatedAt', 'lastAccreditationDate', 'unreachableSince', 'deletedAt']);
  });

  it('gives a new person, with nothing answered yet, as Prisma does', async () => {
    const created = await personWithIdentity(9002n);
    const read = await onboarding.findByTelegramUser(9002n);
    expect(read).toStrictEqual(await db.person.findUnique({ where: { id: created.id } }));
    expect(read?.phoneEnc).toBeNull();
  });

  it('reads the people of several users asked for at once in one statement, each as Prisma gives them', async () => {
    const people = await Promise.all([9010n, 9011n, 9012n].map((id) => personWithIdentity(id)));
    await personWithIdentity(9013n, { deletedAt: new Date() });
    const statements = jest.spyOn(sqlPoolOf(db), 'query');

    const read = await Promise.all([9010n, 9013n, 9011n, 9_999_999_998n, 9012n, 9010n].map((id) => onboarding.findByTelegramUser(id)));

    expect(statements).toHaveBeenCalledTimes(1);
    statements.mockRestore();
    const expected = await Promise.all(people.map((p) => db.person.findUnique({ where: { id: p.id } })));
    expect(read).toStrictEqual([expected[0], null, expected[1], null, expected[2], expected[0]]);
    expect(read[5]).not.toBe(read[0]);
  });

  it('looks each user up by index, also in the plan PostgreSQL keeps for the prepared statement', async () => {
    // Tables of a few thousand, analysed: a plan for an array of unknown length once hash-joined a scan of them.
    await db.$executeRawUnsafe(`
      WITH people AS (INSERT INTO "Person" (id, "updatedAt") SELECT gen_random_uuid(), now() FROM generate_series(1, 2000) RETURNING id)
      INSERT INTO "TelegramIdentity" ("telegramUserId", "chatId", "personId")
      SELECT 7000000 + row_number() OVER (), 7000000 + row_number() OVER (), id FROM people`);
    await db.$executeRawUnsafe('ANALYZE "Person"');
    await db.$executeRawUnsafe('ANALYZE "TelegramIdentity"');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE people_by_users(bigint[]) AS ${PEOPLE_BY_TELEGRAM_USERS}`);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE people_by_users('{7000010}')`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('Index Scan using "TelegramIdentity_pkey"');
      expect(plan).toContain('Index Scan using "Person_pkey"');
      expect(plan).not.toContain('Seq Scan');
    } finally {
      await client.end();
    }
  });

  it('finds nobody for an unknown user or an erased person', async () => {
    await personWithIdentity(9003n, { deletedAt: new Date() });
    expect(await onboarding.findByTelegramUser(9003n)).toBeNull();
    expect(await onboarding.findByTelegramUser(9_999_999_999n)).toBeNull();
  });

  it("gives a person's credit entries, every field, as Prisma does: the balance's and the history's, newest first", async () => {
    const person = await personWithIdentity(9004n, { onboardingStep: 'LINKED' });
    const other = await personWithIdentity(9005n);
    const document = await db.document.create({
      data: { personId: person.id, kind: 'CERTIFICATE', sha256: 'ab', mediaType: 'application/pdf', sizeBytes: 1, storageKey: 'k' },
    });
    const entry = (occurredOn: string, extra: Partial<Prisma.CreditEntryUncheckedCreateInput> = {}) => ({
      personId: person.id,
      creditTypeCode: 'pk',
      quantity: 36,
      occurredOn: new Date(`${occurredOn}T00:00:00Z`),
      ...extra,
    });
    await db.creditEntry.create({ data: entry('2024-01-10', { title: 'ПК «Сестринское дело»', quantity: 36.5, documentId: document.id }) });
    await db.creditEntry.create({ data: entry('2025-06-01', { source: 'IMPORT', verification: 'VERIFIED', externalRef: 'row-7' }) });
    await db.creditEntry.create({ data: entry('2025-06-01', { creditTypeCode: 'iom', quantity: 2 }) });
    await db.creditEntry.create({ data: entry('2025-07-01', { deletedAt: new Date('2025-07-02T10:00:00.5Z') }) });
    await db.creditEntry.create({ data: { ...entry('2025-08-01'), personId: other.id } });
    const where = { personId: person.id, deletedAt: null };
    const expectedHistory = await db.creditEntry.findMany({ where, orderBy: [{ occurredOn: 'desc' }, { createdAt: 'desc' }] });
    expect(expectedHistory).toHaveLength(3);
    const linked = (await onboarding.findByTelegramUser(9004n))!;

    expect(await credits.history(person.id)).toStrictEqual(expectedHistory);
    expect(await credits.history(person.id, 2)).toStrictEqual(expectedHistory.slice(0, 2));
    const { entries } = await credits.balance(linked);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...entries].sort(byId)).toStrictEqual([...expectedHistory].sort(byId));
    await expectDatesWithOffset(creditEntryRows, 'CreditEntry', ['occurredOn', 'createdAt', 'updatedAt', 'deletedAt']);
  });

  it("gives the ticket a person's free message goes to, every field, as Prisma does: the open one first, else the latest", async () => {
    const person = await personWithIdentity(9006n);
    const support = new SupportService(db, new CalendarRepository(db), clock, parseSupportHours('09:00-18:00')!);
    expect(await support.relayTicketOf(person.id)).toBeNull();
    const closed = (openedAt: string) => ({
      personId: person.id,
      status: 'CLOSED' as const,
      topicId: 77,
      openedAt: new Date(openedAt),
      firstResponseAt: new Date('2026-12-02T10:00:00.250Z'),
      escalatedAt: new Date('2026-12-02T11:00:00Z'),
      closedAt: new Date('2026-12-02T12:00:00Z'),
      closedBy: 'agent:1',
      rating: 5,
      ratingComment: 'Спасибо!',
    });
    await db.supportTicket.create({ data: closed('2026-11-01T09:00:00Z') });
    const latestClosed = await db.supportTicket.create({ data: closed('2026-12-02T09:00:00Z') });
    expect(await support.relayTicketOf(person.id)).toStrictEqual({ recentlyClosed: latestClosed });
    const open = await db.supportTicket.create({ data: { personId: person.id, openedAt: new Date('2026-11-20T09:00:00Z') } });
    expect(await support.relayTicketOf(person.id)).toStrictEqual({ open });
    await expectDatesWithOffset(supportTicketRows, 'SupportTicket', ['openedAt', 'firstResponseAt', 'escalatedAt', 'closedAt']);
  });
});
