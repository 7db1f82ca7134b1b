import { PerPersonReevaluation } from '../../test/support/per-person-reevaluation';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import type { StaffCategory } from '../../generated/prisma/client';
import { NotificationsService, type OutboundDispatch } from '../notifications/notifications.service';
import { getShippedRuleSet } from '../rules';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { addDays, type IsoDate } from '../shared/dates';
import { ReevaluationService } from './reevaluation.service';

/**
 * The batched re-evaluation (nightly sweep batches, and a change's batch of one) against the per-person
 * path it replaced, on two databases holding the same people: snapshots and notifications must be equal,
 * row for row, after every simulated night. The population is varied on purpose: four rule sets (a
 * calendar-year one with a cap), category-specific and missing assignments, three time zones across a
 * date line, people who reach the requirement, fall behind pace, pass 180/90/30/7/1 days before their
 * period ends, change cycle, get deleted or linked, and entries with unknown types, bad quantities,
 * future dates, rejections and deletions.
 */
jest.setTimeout(180_000);

const PEOPLE = 120;
const BATCH = 7;
const CATEGORIES: StaffCategory[] = ['DOCTOR', 'NURSE', 'PHARMACIST', 'LAB_TECHNICIAN', 'SANITARY', 'ADMINISTRATOR'];
const ZONES = ['Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad'];
/** Nights of the simulation; one at 20:00 UTC, when Vladivostok is already on the next day. */
const NIGHTS = [
  '2026-06-01T00:30:00Z',
  '2026-06-02T00:30:00Z',
  '2026-06-10T20:00:00Z',
  '2026-07-01T00:30:00Z',
  '2026-08-15T00:30:00Z',
  '2026-09-29T00:30:00Z',
  '2026-11-01T00:30:00Z',
  '2026-11-25T00:30:00Z',
  '2026-12-10T00:30:00Z',
  '2026-12-24T00:30:00Z',
  '2026-12-31T00:30:00Z',
  '2027-01-01T00:30:00Z',
  '2027-02-01T00:30:00Z',
  '2027-03-20T00:30:00Z',
  '2027-05-01T00:30:00Z',
];

/** Deterministic data: the same seed builds the same people in both databases. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface PlannedEntry {
  id: string;
  personId: string;
  creditTypeCode: string;
  quantity: number;
  occurredOn: IsoDate;
  verification: 'UNVERIFIED' | 'VERIFIED' | 'REJECTED';
  deleted: boolean;
}

interface Population {
  organizations: Array<{ id: string; code: string }>;
  people: Array<{
    id: string;
    linked: boolean;
    deleted: boolean;
    organizationId: string | null;
    category: StaffCategory | null;
    cycleStart: IsoDate | null;
    timeZone: string;
  }>;
  entries: PlannedEntry[];
}

/** Out of range, fractional, and floats whose text needs care (PostgreSQL prints 1e+21 and 0.30000000000000004). */
const ODD_QUANTITIES = [2000, 0.5, 0.1, 2.675, 1234.5678, 1e21, 0.1 + 0.2];

const TYPES_BY_ORG = [
  ['pk', 'iom', 'event', 'application', 'audit'], // A: 709н, nurses on seed-accreditation
  ['registration', 'application', 'document', 'fee', 'online-event', 'feedback'], // B: seed-actions
  ['pk', 'iom', 'event'], // C: nothing assigned
  ['pk', 'iom', 'event'], // D: a code nobody installed
  ['pk', 'iom', 'event'], // no organization
];

function plan(): Population {
  const random = seededRandom(18);
  const organizations = ['A', 'B', 'C', 'D'].map((code) => ({ id: uuidFrom(random), code: `EQ${code}` }));
  const people: Population['people'] = [];
  const entries: PlannedEntry[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const orgIndex = i % 5;
    // Half of the cycles end inside the simulated year, so that every milestone is passed by someone.
    const cycleStart =
      i % 4 === 0 ? null : i % 2 === 1 ? addDays('2021-06-01', (i * 37) % 330) : addDays('2021-03-01', Math.floor(random() * 1850));
    const person = {
      id: uuidFrom(random),
      linked: i % 10 !== 0,
      deleted: i % 17 === 16,
      organizationId: orgIndex < 4 ? organizations[orgIndex].id : null,
      category: i % 6 === 5 ? null : CATEGORIES[i % CATEGORIES.length],
      cycleStart,
      timeZone: ZONES[i % 7 === 0 ? 1 : i % 7 === 1 ? 2 : 0],
    };
    people.push(person);
    const types = TYPES_BY_ORG[orgIndex];
    const count = i % 8 === 0 ? 0 : Math.floor(random() * 40);
    const from = cycleStart ?? '2026-01-01';
    for (let k = 0; k < count; k++) {
      const roll = random();
      const typeCode = roll < 0.02 ? 'unknown-type' : roll < 0.03 ? 'iom\u001e' : types[Math.floor(random() * types.length)];
      const quantity =
        roll > 0.95
          ? ODD_QUANTITIES[Math.floor(random() * ODD_QUANTITIES.length)]
          : 1 + Math.floor(random() * (typeCode === 'pk' ? 72 : 12));
      const v = random();
      entries.push({
        id: uuidFrom(random),
        personId: person.id,
        creditTypeCode: typeCode,
        quantity,
        occurredOn: addDays(from, Math.floor(random() * 2000) - 300),
        verification: v < 0.05 ? 'REJECTED' : v < 0.6 ? 'VERIFIED' : 'UNVERIFIED',
        deleted: random() < 0.05,
      });
    }
  }
  return { organizations, people, entries };
}

/** What both databases go through between nights: the same changes, in the same order. */
async function changeBefore(night: number, db: Database, population: Population): Promise<void> {
  const { people } = population;
  if (night === 3) {
    // A burst of study: these people reach the requirement.
    await db.creditEntry.createMany({
      data: people
        .filter((_, i) => i % 9 === 2)
        .flatMap((p, k) => [
          { id: uuidAt(1000 + k * 2), personId: p.id, creditTypeCode: 'pk', quantity: 80, occurredOn: new Date('2026-06-20T00:00:00Z') },
          { id: uuidAt(1001 + k * 2), personId: p.id, creditTypeCode: 'iom', quantity: 36, occurredOn: new Date('2026-06-21T00:00:00Z') },
        ]),
    });
  }
  if (night === 5) {
    // A new version of the published rule: a higher ПК minimum.
    const v2 = { ...getShippedRuleSet('nmo-709n'), version: 2, minimums: { pk: 74 } };
    const installed = await new RuleSetRepository(db).install(JSON.parse(JSON.stringify(v2)), { type: 'admin', id: 'equivalence' });
    if (!installed.ok) throw new Error(installed.errors.join('; '));
  }
  if (night === 6) {
    await db.creditEntry.updateMany({
      where: { personId: { in: people.filter((_, i) => i % 11 === 3).map((p) => p.id) }, creditTypeCode: 'pk' },
      data: { deletedAt: new Date('2026-09-30T00:00:00Z') },
    });
    await db.ruleSetAssignment.create({
      data: { organizationId: population.organizations[2].id, category: null, ruleSetCode: 'seed-accreditation' },
    });
  }
  if (night === 8) {
    // A new accreditation starts a new cycle: the old snapshot is not comparable.
    await db.person.updateMany({
      where: { id: { in: people.filter((_, i) => i % 13 === 5).map((p) => p.id) } },
      data: { lastAccreditationDate: new Date('2026-11-20T00:00:00Z') },
    });
  }
  if (night === 9) {
    await db.person.updateMany({
      where: { id: { in: people.filter((_, i) => i % 23 === 7).map((p) => p.id) } },
      data: { deletedAt: new Date() },
    });
    await db.person.updateMany({
      where: { id: { in: people.filter((_, i) => i % 20 === 0).map((p) => p.id) } },
      data: { onboardingStep: 'LINKED' },
    });
  }
  if (night === 11) {
    await db.creditEntry.createMany({
      data: people
        .filter((_, i) => i % 6 === 1)
        .map((p, k) => ({
          id: uuidAt(5000 + k),
          personId: p.id,
          creditTypeCode: 'event',
          quantity: 6,
          occurredOn: new Date('2027-12-01T00:00:00Z'),
        })),
    });
  }
}

function uuidAt(n: number): string {
  return `00000000-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;
}

async function populate(db: Database, population: Population): Promise<void> {
  await new RuleSetRepository(db).installShipped();
  const [a, b, , d] = population.organizations;
  await db.organization.createMany({ data: population.organizations.map((o) => ({ id: o.id, code: o.code, name: o.code })) });
  await db.ruleSetAssignment.createMany({
    data: [
      { organizationId: a.id, category: null, ruleSetCode: 'nmo-709n' },
      { organizationId: a.id, category: 'NURSE', ruleSetCode: 'seed-accreditation' },
      { organizationId: b.id, category: null, ruleSetCode: 'seed-actions' },
      { organizationId: d.id, category: null, ruleSetCode: 'ghost-rules' },
    ],
  });
  await db.person.createMany({
    data: population.people.map((p) => ({
      id: p.id,
      onboardingStep: p.linked ? ('LINKED' as const) : ('PHONE' as const),
      deletedAt: p.deleted ? new Date('2026-01-01T00:00:00Z') : null,
      organizationId: p.organizationId,
      category: p.category,
      lastAccreditationDate: p.cycleStart ? new Date(`${p.cycleStart}T00:00:00Z`) : null,
      timeZone: p.timeZone,
    })),
  });
  await db.creditEntry.createMany({
    data: population.entries.map((e) => ({
      id: e.id,
      personId: e.personId,
      creditTypeCode: e.creditTypeCode,
      quantity: e.quantity,
      occurredOn: new Date(`${e.occurredOn}T00:00:00Z`),
      verification: e.verification,
      deletedAt: e.deleted ? new Date('2026-01-01T00:00:00Z') : null,
    })),
  });
}

class RecordingDispatch implements OutboundDispatch {
  readonly ids = new Set<string>();
  async dispatch(notificationId: string): Promise<void> {
    this.ids.add(notificationId);
  }
}

async function snapshotsOf(db: Database) {
  const rows = await db.statusSnapshot.findMany({ orderBy: { personId: 'asc' } });
  return rows.map(({ updatedAt: _updatedAt, ...row }) => row);
}

async function notificationsOf(db: Database) {
  const rows = await db.notification.findMany({ orderBy: { idempotencyKey: 'asc' } });
  return rows.map(({ id: _id, createdAt: _createdAt, sequence: _sequence, ...row }) => row);
}

async function dispatchedKeys(db: Database, dispatch: RecordingDispatch): Promise<string[]> {
  const rows = await db.notification.findMany({ where: { id: { in: [...dispatch.ids] } }, select: { idempotencyKey: true } });
  return rows.map((r) => r.idempotencyKey).sort();
}

describe('batched re-evaluation against the per-person path', () => {
  let before: { database: TestDatabase; db: Database };
  let after: { database: TestDatabase; db: Database };
  const population = plan();

  beforeAll(async () => {
    const open = async () => {
      const database = await createTestDatabase();
      return { database, db: createDatabase(database.url, { max: 4 }) };
    };
    [before, after] = await Promise.all([open(), open()]);
    await populate(before.db, population);
    await populate(after.db, population);
  });

  afterAll(async () => {
    for (const side of [before, after]) {
      await side?.db.$disconnect();
      await side?.database.drop();
    }
  });

  it('gives the same snapshots and notifications, night after night', async () => {
    const clock = new FixedClock(new Date(NIGHTS[0]));
    const beforeDispatch = new RecordingDispatch();
    const afterDispatch = new RecordingDispatch();
    const perPerson = new PerPersonReevaluation(before.db, new NotificationsService(before.db, beforeDispatch, clock), clock);
    const batched = new ReevaluationService(
      after.db,
      new RuleSetRepository(after.db),
      new NotificationsService(after.db, afterDispatch, clock),
      clock,
    );
    const everyone = population.people.map((p) => p.id);

    for (let night = 0; night < NIGHTS.length; night++) {
      await changeBefore(night, before.db, population);
      await changeBefore(night, after.db, population);
      clock.set(new Date(NIGHTS[night]));

      for (const id of everyone) await perPerson.reevaluate(id);

      if (night % 2 === 0) {
        // As the sweep does it: keyset pages of ids, each page re-evaluated as a range.
        let cursor: string | undefined;
        for (;;) {
          const page = await batched.linkedPeople(cursor, BATCH);
          if (page.length === 0) break;
          await batched.reevaluateBetween(page[0], page[page.length - 1]);
          cursor = page[page.length - 1];
        }
      } else {
        // As changes do it: batches of ids (the unlinked and deleted among them), and batches of one.
        for (let i = 0; i < everyone.length; i += 13) await batched.reevaluateMany(everyone.slice(i, i + 13));
        for (const id of everyone.slice(0, 10)) await batched.reevaluate(id);
      }

      expect({ night: NIGHTS[night], snapshots: await snapshotsOf(after.db) }).toEqual({
        night: NIGHTS[night],
        snapshots: await snapshotsOf(before.db),
      });
      expect({ night: NIGHTS[night], notifications: await notificationsOf(after.db) }).toEqual({
        night: NIGHTS[night],
        notifications: await notificationsOf(before.db),
      });
    }
    expect(await dispatchedKeys(after.db, afterDispatch)).toEqual(await dispatchedKeys(before.db, beforeDispatch));

    // The comparison means something only if the population crossed every kind of threshold.
    const notifications = await notificationsOf(after.db);
    const kinds = new Set(
      notifications.map((n) => (n.kind === 'credits.period-end' ? `${n.kind}:${(n.payload as { milestone: number }).milestone}` : n.kind)),
    );
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'credits.behind-pace',
        'credits.met',
        'credits.period-end:1',
        'credits.period-end:180',
        'credits.period-end:30',
        'credits.period-end:7',
        'credits.period-end:90',
      ]),
    );
    const snapshots = await snapshotsOf(after.db);
    expect([...new Set(snapshots.map((s) => `${s.ruleSetCode}@${s.ruleSetVersion}`))]).toEqual(
      expect.arrayContaining(['nmo-709n@2', 'seed-accreditation@1', 'seed-actions@1']),
    );
  });
});
