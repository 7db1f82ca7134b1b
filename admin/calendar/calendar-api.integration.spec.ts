import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../../core/calendar/calendar-loader';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import type { INestApplication } from '@nestjs/common';
import { CalendarRepository } from '../../core/calendar/calendar.repository';
import { startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';

const TOKEN = 'test-admin-token-calendar-0123456789';

/** 2026 as shipped, relabelled 2027: a well-formed year the release does not have. */
function calendar2027(): string {
  const xml = readFileSync(join(findProjectRoot(), 'data/production-calendar/ru/2026.xml'), 'utf8');
  return xml.replace('year="2026"', 'year="2027"');
}

describe('admin calendar API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let app: INestApplication;
  let url: string;

  const call = (method: string, path: string, init: { body?: string; type?: string; token?: string } = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${init.token ?? TOKEN}`, ...(init.type ? { 'Content-Type': init.type } : {}) },
      body: init.body,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    ({ app, url } = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN));
  });

  afterAll(async () => {
    await app?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('requires the admin token', async () => {
    expect((await call('GET', '/admin/calendar/years', { token: 'wrong' })).status).toBe(401);
  });

  it('lists the shipped years and says 2027 is missing (the clock is in 2026)', async () => {
    const response = await call('GET', '/admin/calendar/years');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ years: [2023, 2024, 2025, 2026], loaded: [], missing: [2027] });
  });

  it('refuses malformed XML with 422 naming what is wrong, and stores nothing', async () => {
    const response = await call('POST', '/admin/calendar/years', { type: 'text/xml', body: '<holidays year="2027"></holidays>' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: string }).error).toMatch(/wrong root element <holidays>/);
    const outside = await call('POST', '/admin/calendar/years', {
      type: 'application/json',
      body: JSON.stringify({ xml: calendar2027().replace('d="02.23"', 'd="02.30"') }),
    });
    expect(outside.status).toBe(422);
    expect(((await outside.json()) as { error: string }).error).toMatch(/d="02.30".*outside the year 2027/);
    expect(await db.calendarYear.count()).toBe(0);
  });

  it('refuses a body that is neither XML nor JSON', async () => {
    expect((await call('POST', '/admin/calendar/years', { type: 'text/csv', body: 'a,b' })).status).toBe(415);
    expect((await call('POST', '/admin/calendar/years', { type: 'application/json', body: '{"calendar":1}' })).status).toBe(400);
  });

  it('loads 2027 as raw XML: 201, audited, and the calendar in force has it at once', async () => {
    const response = await call('POST', '/admin/calendar/years', { type: 'application/xml; charset=utf-8', body: calendar2027() });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ year: 2027, replaced: false, deadlines: { recomputed: 0, moved: 0, told: 0 } });

    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'calendar-year.loaded', subjectId: '2027' } });
    expect(audit).toMatchObject({ actorType: 'admin', actorId: 'http', subjectType: 'calendar_year' });

    const listed = (await (await call('GET', '/admin/calendar/years')).json()) as {
      years: number[];
      loaded: Array<{ year: number }>;
      missing: number[];
    };
    expect(listed.years).toEqual([2023, 2024, 2025, 2026, 2027]);
    expect(listed.loaded.map((y) => y.year)).toEqual([2027]);
    expect(listed.missing).toEqual([]);

    const calendar = await app.get(CalendarRepository).current();
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('loads the same year again as JSON, replacing it', async () => {
    const response = await call('POST', '/admin/calendar/years', {
      type: 'application/json',
      body: JSON.stringify({ xml: calendar2027() }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ year: 2027, replaced: true, deadlines: { recomputed: 0, moved: 0, told: 0 } });
    expect(await db.calendarYear.count()).toBe(1);
  });
});
