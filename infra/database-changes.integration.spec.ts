import pg from 'pg';
import { CREDIT_ENTRIES_CHANGED_CHANNEL, CreditsService } from '../core/credits/credits.service';
import { PEOPLE_CHANGED_CHANNEL } from '../core/people/cached-people';
import { getShippedRuleSet } from '../core/rules';
import { RULE_SETS_CHANGED_CHANNEL, RuleSetRepository } from '../core/rules/rule-set.repository';
import { CalendarRepository } from '../core/calendar/calendar.repository';
import { REOPEN_WINDOW_MS, SUPPORT_TICKETS_CHANGED_CHANNEL, SupportService } from '../core/support/support.service';
import { parseSupportHours } from '../core/support/working-hours';
import type { Person } from '../generated/prisma/client';
import { FixedClock } from '../core/shared/clock';
import { createDatabase, type Database, sqlPoolOf } from '../core/shared/database';
import { createEntry, createPerson } from '../test/support/case-fixtures';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { waitUntil } from '../test/support/eventually';
import { DatabaseChanges } from './database-changes';
import type { Logger } from './logger';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

/** Real PostgreSQL: the triggers of the migration and LISTEN/NOTIFY are the point. */
describe('DatabaseChanges on the people channel', () => {
  let database: TestDatabase;
  let db: Database;
  let changes: DatabaseChanges;
  let heard: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url);
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });
  beforeEach(async () => {
    heard = 0;
    changes = new DatabaseChanges(database.url, PEOPLE_CHANGED_CHANNEL, silent);
    changes.onChange(() => heard++);
    changes.start();
    await waitUntil(() => changes.listening, 'listening', 10_000);
    heard = 0;
  });
  afterEach(() => changes.stop());

  /** Runs `change` and waits for it to be heard (a statement's notification comes at its commit). */
  async function expectHeard(change: () => Promise<unknown>, what: string): Promise<void> {
    const before = heard;
    await change();
    await waitUntil(() => heard > before, what, 5000);
  }

  it('hears every kind of change to a person or an identity, whoever makes it', async () => {
    const person = await db.person.create({ data: { telegramIdentities: { create: { telegramUserId: 7001n, chatId: 7001n } } } });
    await expectHeard(() => db.person.update({ where: { id: person.id }, data: { language: 'en' } }), 'a Prisma update');
    await expectHeard(() => db.$executeRawUnsafe(`UPDATE "Person" SET "timeZone" = 'Asia/Omsk' WHERE id = $1::uuid`, person.id), 'raw SQL');
    await expectHeard(() => db.telegramIdentity.update({ where: { telegramUserId: 7001n }, data: { username: 'nurse' } }), 'an identity');
    // The identity goes with the person (ON DELETE CASCADE): heard from both tables.
    await expectHeard(() => db.person.delete({ where: { id: person.id } }), 'a delete with its cascade');
    await expectHeard(() => db.$executeRawUnsafe('TRUNCATE "TelegramIdentity"'), 'TRUNCATE');
  });

  it('has one trigger function for every table the bot hears, each trigger naming its channel', async () => {
    const rows = await db.$queryRawUnsafe<Array<{ table: string; fn: string; args: string }>>(`
      SELECT c.relname AS table, p.proname AS fn, encode(t.tgargs, 'escape') AS args
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE NOT t.tgisinternal AND t.tgname LIKE '%\\_changed' ORDER BY c.relname`);
    // A trigger's arguments are stored each ended by a zero byte, which `encode` shows as \000.
    const triggers = rows.map(({ table, fn, args }) => ({ table, fn, channel: args.replace(/\\000$/, '') }));
    expect(triggers).toEqual([
      { table: 'CreditEntry', fn: 'nmo_notify_changed', channel: 'nmo_credit_entries_changed' },
      { table: 'Person', fn: 'nmo_notify_changed', channel: 'nmo_people_changed' },
      { table: 'RuleSet', fn: 'nmo_notify_changed', channel: 'nmo_rule_sets_changed' },
      { table: 'RuleSetAssignment', fn: 'nmo_notify_changed', channel: 'nmo_rule_sets_changed' },
      { table: 'SupportTicket', fn: 'nmo_notify_changed', channel: 'nmo_support_tickets_changed' },
      { table: 'TelegramIdentity', fn: 'nmo_notify_changed', channel: 'nmo_people_changed' },
    ]);
    const functions = await db.$queryRawUnsafe<Array<{ proname: string }>>(`SELECT proname FROM pg_proc WHERE proname LIKE 'nmo\\_%'`);
    expect(functions.map((f) => f.proname)).toEqual(['nmo_notify_changed']);
  });

  it('hears nothing of other tables', async () => {
    await db.organization.create({ data: { code: 'QUIET', name: 'Тихая больница' } });
    await db.$executeRawUnsafe('SELECT pg_sleep(0.3)');
    expect(heard).toBe(0);
  });

  it('stops listening when its connection is lost, says so, and listens again by itself', async () => {
    const pid = await listenerPid(database.url);
    await db.$executeRawUnsafe('SELECT pg_terminate_backend($1)', pid);
    await waitUntil(() => !changes.listening, 'not listening', 5000);
    expect(heard).toBeGreaterThan(0);

    const whileLost = heard;
    await waitUntil(() => changes.listening, 'listening again', 10_000);
    expect(heard).toBeGreaterThan(whileLost);
    await expectHeard(() => db.$executeRawUnsafe(`UPDATE "Person" SET "orgRole" = 'MEMBER' WHERE false`), 'a change after');
  });

  it('refuses to listen on a pool that has connections already: a change through them would be heard late', async () => {
    const other = createDatabase(database.url);
    try {
      await other.$queryRawUnsafe('SELECT 1');
      expect(() => changes.alsoHearOn(sqlPoolOf(other))).toThrow(/has connections already/);
    } finally {
      await other.$disconnect();
    }
  });

  it('hears a change committed through a pool it also listens on, even with its own connection gone', async () => {
    const other = createDatabase(database.url);
    try {
      changes.alsoHearOn(sqlPoolOf(other));
      // The pool's connection starts listening on its first use.
      await other.$queryRawUnsafe('SELECT 1');
      await changes.stop();
      heard = 0;
      await other.$executeRawUnsafe(`UPDATE "Person" SET "orgRole" = 'MEMBER' WHERE false`);
      await waitUntil(() => heard > 0, 'heard on the pool', 5000);
    } finally {
      await other.$disconnect();
    }
  });
});

describe('DatabaseChanges on several channels, and the rule sets kept by it', () => {
  let database: TestDatabase;
  let db: Database;
  let changes: DatabaseChanges;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url);
    changes = new DatabaseChanges(database.url, [PEOPLE_CHANGED_CHANNEL, RULE_SETS_CHANGED_CHANNEL], silent);
    changes.start();
    await waitUntil(() => changes.listening, 'listening', 10_000);
  });
  afterAll(async () => {
    await changes.stop();
    await db.$disconnect();
    await database.drop();
  });

  it("tells each channel's listeners only of that channel's tables", async () => {
    const heard = { people: 0, ruleSets: 0 };
    const unsubscribe = [
      changes.of(PEOPLE_CHANGED_CHANNEL).onChange(() => heard.people++),
      changes.of(RULE_SETS_CHANGED_CHANNEL).onChange(() => heard.ruleSets++),
    ];
    try {
      const organization = await db.organization.create({ data: { code: 'CHANNELS', name: 'Два канала' } });
      await db.ruleSetAssignment.create({ data: { organizationId: organization.id, category: null, ruleSetCode: 'seed-actions' } });
      await waitUntil(() => heard.ruleSets > 0, 'the assignment heard', 5000);
      expect(heard.people).toBe(0);

      await db.person.create({ data: { telegramIdentities: { create: { telegramUserId: 7101n, chatId: 7101n } } } });
      await waitUntil(() => heard.people > 0, 'the person heard', 5000);
      expect(heard.ruleSets).toBe(1);
    } finally {
      for (const stop of unsubscribe) stop();
    }
  });

  it('refuses a channel it does not listen on', () => {
    expect(() => changes.of('nmo_something_else')).toThrow(/not listening on "nmo_something_else"/);
  });

  it("keeps a person's rule set between presses and reads it again once an admin changes an assignment or installs a version", async () => {
    const repository = new RuleSetRepository(db);
    repository.keepWhileHeard(changes.of(RULE_SETS_CHANGED_CHANNEL));
    const statements = jest.spyOn(sqlPoolOf(db), 'query');
    const reads = () =>
      statements.mock.calls.filter(([query]) => JSON.stringify(query).includes('rule-set-assignments-and-versions')).length;
    const organization = await db.organization.create({ data: { code: 'KEPT', name: 'Больница с правилами' } });
    const nurse = { organizationId: organization.id, category: 'NURSE' as const };
    try {
      expect((await repository.forPerson(nurse)).code).toBe('nmo-709n');
      expect((await repository.forPerson(nurse)).code).toBe('nmo-709n');
      expect(reads()).toBe(1);

      // Through another repository, as the admin API of another process would.
      await new RuleSetRepository(db).assign(organization.id, 'seed-actions', 'NURSE');
      await waitUntil(async () => (await repository.forPerson(nurse)).code === 'seed-actions', 'the new assignment served', 5000);
      const afterAssignment = reads();
      await repository.forPerson(nurse);
      expect(reads()).toBe(afterAssignment);

      const shipped = getShippedRuleSet('seed-actions');
      const newer = { ...JSON.parse(JSON.stringify(shipped)), version: shipped.version + 1 };
      expect(await new RuleSetRepository(db).install(newer, { type: 'admin', id: 'admin-1' })).toMatchObject({ ok: true, created: true });
      await waitUntil(async () => (await repository.forPerson(nurse)).version === shipped.version + 1, 'the new version served', 5000);
    } finally {
      statements.mockRestore();
    }
  });
});

/**
 * A test database with two clients: the bot's, whose pool's connections listen on `channel` too
 * (DatabaseChanges.alsoHearOn, as in bot/telegram-bot.ts), and another process's (the worker, another
 * replica, the admin API), whose writes are heard on the listening connection only.
 */
async function botAndOtherProcess(channel: string) {
  const database = await createTestDatabase();
  const bot = createDatabase(database.url);
  const other = createDatabase(database.url);
  const changes = new DatabaseChanges(database.url, [channel], silent);
  changes.alsoHearOn(sqlPoolOf(bot));
  changes.start();
  await waitUntil(() => changes.listening, 'listening', 10_000);
  const stop = async () => {
    await changes.stop();
    await bot.$disconnect();
    await other.$disconnect();
    await database.drop();
  };
  return { bot, other, changes, stop };
}

/** Statements the bot's pool was sent whose name holds `name`, from now on. */
function statementsNamed(bot: Database, name: string): { count: () => number; restore: () => void } {
  const spy = jest.spyOn(sqlPoolOf(bot), 'query');
  return { count: () => spy.mock.calls.filter(([query]) => JSON.stringify(query).includes(name)).length, restore: () => spy.mockRestore() };
}

/** Waits until what another process wrote is heard (a moment after its commit): then a second `read` reads nothing. */
async function keptNow(read: () => Promise<unknown>, reads: () => number, what: string): Promise<void> {
  await waitUntil(
    async () => {
      await read();
      const before = reads();
      await read();
      return reads() === before;
    },
    what,
    5000,
  );
}

describe("a person's credit entries kept by the bot", () => {
  let bot: Database;
  let other: Database;
  let stop: () => Promise<void>;
  let credits: CreditsService;
  let statements: ReturnType<typeof statementsNamed>;
  const reads = () => statements.count();
  const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));

  beforeAll(async () => {
    let changes: DatabaseChanges;
    ({ bot, other, changes, stop } = await botAndOtherProcess(CREDIT_ENTRIES_CHANGED_CHANNEL));
    credits = new CreditsService(bot, new RuleSetRepository(bot), { request: async () => undefined }, clock);
    credits.keepWhileHeard(changes.of(CREDIT_ENTRIES_CHANGED_CHANNEL));
  });
  beforeEach(() => (statements = statementsNamed(bot, 'credit-')));
  afterEach(() => statements.restore());
  afterAll(() => stop());

  const entriesKeptNow = (person: Person) => keptNow(() => credits.balance(person), reads, 'the entries kept');

  const quantities = (entries: ReadonlyArray<{ quantity: number }>) => entries.map((e) => e.quantity).sort((a, b) => a - b);

  it('reads them once for /credits and the history presses after it, in the order and number the SQL gives', async () => {
    const person = await createPerson(other);
    const dates = ['2026-03-01', '2026-09-15', '2026-03-01', '2025-12-31'];
    for (const [i, date] of dates.entries()) {
      await other.creditEntry.create({
        data: { personId: person.id, creditTypeCode: 'iom', quantity: i + 1, occurredOn: new Date(`${date}T00:00:00Z`), source: 'SELF' },
      });
    }
    await other.creditEntry.create({
      data: {
        personId: person.id,
        creditTypeCode: 'iom',
        quantity: 9,
        occurredOn: new Date('2026-10-01T00:00:00Z'),
        source: 'SELF',
        deletedAt: new Date(),
      },
    });
    const unkept = new CreditsService(other, new RuleSetRepository(other), { request: async () => undefined }, clock);
    await entriesKeptNow(person);

    const before = reads();
    const balance = await credits.balance(person);
    expect(quantities(balance.entries)).toEqual([1, 2, 3, 4]);
    expect(balance.evaluation).toEqual((await unkept.balance(person)).evaluation);
    expect(await credits.history(person.id, 3)).toEqual(await unkept.history(person.id, 3));
    expect(await credits.history(person.id)).toEqual(await unkept.history(person.id));
    expect(reads()).toBe(before);
  });

  it('counts an entry added here in the balance the /add returns and in every read after it, without waiting', async () => {
    const person = await createPerson(other);
    await createEntry(other, person.id, 36);
    await entriesKeptNow(person);
    const total = (await credits.balance(person)).evaluation.total;

    const added = await credits.addEntry(person, { typeCode: 'iom', quantity: 2, date: '2026-11-20' });
    if (!added.ok) throw new Error(`refused: ${added.reason}`);
    expect(quantities(added.balance.entries)).toEqual([2, 36]);
    expect(added.balance.evaluation.total).toBe(total + 2);
    expect((await credits.history(person.id)).map((e) => e.id)).toContain(added.entry.id);
    expect(quantities((await credits.balance(person)).entries)).toEqual([2, 36]);
  });

  it('reads them again once another process changes an entry, a person being erased included', async () => {
    const person = await createPerson(other);
    const entry = await createEntry(other, person.id, 36);
    await entriesKeptNow(person);

    await other.creditEntry.update({ where: { id: entry.id }, data: { quantity: 18 } });
    await waitUntil(async () => (await credits.balance(person)).entries[0]?.quantity === 18, 'the change served', 5000);
    await other.person.delete({ where: { id: person.id } });
    await waitUntil(async () => (await credits.history(person.id)).length === 0, 'the cascade served', 5000);
  });

  it('gives each caller an array of its own, and entries nobody can change in memory', async () => {
    const person = await createPerson(other);
    await createEntry(other, person.id, 36);
    await entriesKeptNow(person);
    const first = await credits.history(person.id);
    first.pop();
    const second = await credits.history(person.id);
    expect(second).toHaveLength(1);
    expect(() => {
      second[0].quantity = 72;
    }).toThrow(TypeError);
    expect(quantities((await credits.balance(person)).entries)).toEqual([36]);
  });
});

describe("a person's latest support ticket kept by the bot", () => {
  let bot: Database;
  let other: Database;
  let stop: () => Promise<void>;
  let support: SupportService;
  let unkept: SupportService;
  let statements: ReturnType<typeof statementsNamed>;
  const reads = () => statements.count();
  const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));

  beforeAll(async () => {
    let changes: DatabaseChanges;
    ({ bot, other, changes, stop } = await botAndOtherProcess(SUPPORT_TICKETS_CHANGED_CHANNEL));
    const hours = parseSupportHours('09:00-18:00')!;
    support = new SupportService(bot, new CalendarRepository(bot), clock, hours);
    support.keepWhileHeard(changes.of(SUPPORT_TICKETS_CHANGED_CHANNEL));
    unkept = new SupportService(other, new CalendarRepository(other), clock, hours);
  });
  beforeEach(() => {
    clock.set(new Date('2026-11-25T09:00:00Z'));
    statements = statementsNamed(bot, 'relay-ticket-of-person');
  });
  afterEach(() => statements.restore());
  afterAll(() => stop());

  const ticketKeptNow = (person: Person) => keptNow(() => support.relayTicketOf(person.id), reads, 'the ticket kept');

  it('reads once for the free messages in a row of someone with no ticket, and of someone with one, as the SQL gives', async () => {
    const none = await createPerson(other);
    await ticketKeptNow(none);
    const before = reads();
    expect(await support.relayTicketOf(none.id)).toBeNull();
    expect(await support.relayTicketOf(none.id)).toBeNull();
    expect(reads()).toBe(before);

    const person = await createPerson(other);
    await other.supportTicket.create({
      data: {
        personId: person.id,
        status: 'CLOSED',
        openedAt: new Date('2026-11-20T09:00:00Z'),
        closedAt: new Date('2026-11-21T09:00:00Z'),
      },
    });
    await other.supportTicket.create({ data: { personId: person.id, openedAt: new Date('2026-11-01T09:00:00Z') } });
    await ticketKeptNow(person);
    const kept = reads();
    expect(await support.relayTicketOf(person.id)).toStrictEqual(await unkept.relayTicketOf(person.id));
    expect(await support.relayTicketOf(person.id)).toMatchObject({ open: { status: 'OPEN' } });
    expect(reads()).toBe(kept);
  });

  it('sends the message after the one that opened a ticket here to that ticket, without waiting', async () => {
    const person = await createPerson(other);
    await ticketKeptNow(person);
    expect(await support.relayTicketOf(person.id)).toBeNull();

    const { ticket } = await support.open(person.id);
    expect(await support.relayTicketOf(person.id)).toStrictEqual({ open: ticket });
    await support.close(ticket.id, 'agent');
    expect(await support.relayTicketOf(person.id)).toMatchObject({ recentlyClosed: { id: ticket.id, status: 'CLOSED' } });
  });

  it("reads again once another process changes a ticket, an agent's close and an erasure included", async () => {
    const person = await createPerson(other);
    const ticket = await other.supportTicket.create({ data: { personId: person.id, openedAt: clock.now() } });
    await ticketKeptNow(person);
    expect(await support.relayTicketOf(person.id)).toMatchObject({ open: { id: ticket.id } });

    await other.supportTicket.update({ where: { id: ticket.id }, data: { status: 'CLOSED', closedAt: clock.now() } });
    await waitUntil(async () => 'recentlyClosed' in ((await support.relayTicketOf(person.id)) ?? {}), 'the close served', 5000);
    await other.person.delete({ where: { id: person.id } });
    await waitUntil(async () => (await support.relayTicketOf(person.id)) === null, 'the cascade served', 5000);
  });

  it('decides at each message whether a closed ticket is still recent, however long it was kept', async () => {
    const person = await createPerson(other);
    await other.supportTicket.create({ data: { personId: person.id, status: 'CLOSED', openedAt: clock.now(), closedAt: clock.now() } });
    await ticketKeptNow(person);
    expect(await support.relayTicketOf(person.id)).toMatchObject({ recentlyClosed: { personId: person.id } });

    const before = reads();
    clock.advance(REOPEN_WINDOW_MS + 1000);
    expect(await support.relayTicketOf(person.id)).toBeNull();
    expect(reads()).toBe(before);
  });

  it('hands out a kept ticket nobody can change in memory', async () => {
    const person = await createPerson(other);
    await other.supportTicket.create({ data: { personId: person.id, openedAt: clock.now() } });
    await ticketKeptNow(person);
    const target = await support.relayTicketOf(person.id);
    if (!target || !('open' in target)) throw new Error('no open ticket');
    expect(() => {
      target.open.status = 'CLOSED';
    }).toThrow(TypeError);
    expect(await support.relayTicketOf(person.id)).toMatchObject({ open: { status: 'OPEN' } });
  });
});

async function listenerPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_notify%' AND pid <> pg_backend_pid()`,
    );
    if (rows.length !== 1) throw new Error(`expected the one listening connection, found ${rows.length}`);
    return rows[0].pid;
  } finally {
    await client.end();
  }
}
