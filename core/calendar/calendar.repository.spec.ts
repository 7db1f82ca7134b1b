import { createDatabase, type Database } from '../shared/database';
import { createTestDatabase } from '../../test/support/database';
import { CalendarRepository } from './calendar.repository';
import { ProductionCalendar } from './production-calendar';
import { parseXmlCalendar } from './xmlcalendar';

const year2026 = (days: string) => `<calendar year="2026"><days>${days}</days></calendar>`;

describe('CalendarRepository', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('serves the shipped years, lets a loaded year replace one, and rebuilds after loading', async () => {
    const shipped = new ProductionCalendar([parseXmlCalendar(year2026('<day d="01.09" t="1"/>'))]);
    const repository = new CalendarRepository(db, { shipped: () => shipped });
    const before = await repository.current();
    expect(before).toBe(await repository.current()); // cached
    expect(before.isWorkingDay('2026-01-09')).toBe(false);

    expect(await repository.loadYear(year2026('<day d="01.12" t="1"/>'), { type: 'admin', id: 'test' })).toEqual({
      ok: true,
      year: 2026,
      replaced: false,
    });
    const after = await repository.current();
    expect(after.isWorkingDay('2026-01-09')).toBe(true);
    expect(after.isWorkingDay('2026-01-12')).toBe(false);
    expect(await db.auditLog.count({ where: { action: 'calendar-year.loaded', subjectId: '2026' } })).toBe(1);
  });

  it('refuses malformed XML without storing it', async () => {
    const repository = new CalendarRepository(db, { shipped: () => new ProductionCalendar([]) });
    const result = await repository.loadYear('<calendar><days/></calendar>', { type: 'admin' });
    expect(result).toEqual({ ok: false, error: 'the year is missing: <calendar> has no year attribute' });
    expect(await db.calendarYear.count()).toBe(1);
  });
});
