import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPerson, disputeServices, recordingEvaluations } from '../../test/support/case-fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { findProjectRoot } from '../calendar/calendar-loader';
import { endOfMoscowDay } from '../calendar/deadline';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { ReferenceRefreshService } from './reference-refresh.service';

/**
 * The CLI loaded 2027 while the bot still had the calendar without it in its cache (up to 10 minutes), and
 * a dispute filed meanwhile was stored as provisional for 2027. The 02:00 reference refresh settles it.
 */
describe('the nightly reference refresh settles a date counted before a loaded year was seen (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('recomputes the dispute on the stored 2027 calendar and says so in the run summary', async () => {
    const clock = new FixedClock(new Date('2027-01-12T02:00:00+03:00'));
    const xml = readFileSync(join(findProjectRoot(), 'test/fixtures/production-calendar-2027.xml'), 'utf8');
    await db.calendarYear.create({ data: { year: 2027, xml } });
    const person = await createPerson(db);
    const dispute = await db.dispute.create({
      data: {
        personId: person.id,
        subjectType: 'PROFILE_FIELD',
        field: 'specialty',
        reason: 'неверно',
        filedAt: new Date('2026-12-21T10:00:00+03:00'),
        dueAt: endOfMoscowDay('2027-01-13'),
        dueFallbackYear: 2027,
      },
    });
    const { calendar, provisional } = disputeServices(db, clock);
    const refresh = new ReferenceRefreshService(db, calendar, provisional, new RuleSetRepository(db), recordingEvaluations(), clock);

    const { ok, summary } = await refresh.refresh();
    expect(ok).toBe(true);
    expect(summary.settledDeadlines).toEqual({ recomputed: 1, moved: 1, told: 1 });
    expect(summary.missingCalendarYears).toEqual([]);
    expect(await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({
      dueAt: endOfMoscowDay('2027-01-14'),
      dueFallbackYear: null,
    });
    expect(await db.auditLog.count({ where: { action: 'deadline.recomputed', actorType: 'system', actorId: 'reference' } })).toBe(1);
  });
});
