import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findProjectRoot } from '../../core/calendar/calendar-loader';
import { FixedClock } from '../../core/shared/clock';
import { createPerson, disputeServices } from '../../test/support/case-fixtures';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase } from '../../test/support/database';
import type { AdminServices } from '../services';
import { type CliContext, runCommand, usage } from '../cli/commands';

describe('admin CLI calendar:load', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  const files = new Map<string, string>();
  const lines: string[] = [];
  let context: CliContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    const shipped = await readFile(join(findProjectRoot(), 'data/production-calendar/ru/2026.xml'), 'utf8');
    files.set('2027.xml', shipped.replace('year="2026"', 'year="2027"'));
    files.set('2028.xml', shipped.replace('year="2026"', 'year="2028"'));
    files.set('bad.xml', shipped.replace('d="05.09"', 'd="05.32"'));
    context = {
      services: {} as AdminServices,
      out: (line) => lines.push(line),
      err: (line) => lines.push(`! ${line}`),
      readFile: async (path) => {
        const text = files.get(path);
        if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
        return Buffer.from(text);
      },
      botUsername: async () => 'nmo_bot',
      calendar: disputeServices(db, new FixedClock(new Date('2026-12-03T09:00:00Z'))).years,
    };
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('is listed in help', () => {
    expect(usage()).toContain('calendar:load <file.xml>');
  });

  it('loads a year, then replaces it', async () => {
    await runCommand(['calendar:load', '2027.xml'], context);
    await runCommand(['calendar:load', '2027.xml'], context);
    expect(lines).toEqual(['Loaded the production calendar for 2027.', 'Replaced the production calendar for 2027.']);
    expect((await context.calendar!.current()).isWorkingDay('2027-01-08')).toBe(false);
    expect(await db.auditLog.count({ where: { action: 'calendar-year.loaded', actorId: 'cli' } })).toBe(2);
  });

  it('refuses a malformed file and a missing one with one line each', async () => {
    await expect(runCommand(['calendar:load', 'bad.xml'], context)).rejects.toThrow(
      /^bad\.xml: calendar refused: day d="05.32".*outside the year 2026/,
    );
    await expect(runCommand(['calendar:load', 'none.xml'], context)).rejects.toThrow('none.xml: cannot read (ENOENT)');
    await expect(runCommand(['calendar:load'], context)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('says how many provisional deadlines the loaded year settled, and journals them as the CLI', async () => {
    const person = await createPerson(db);
    // Filed on 27.12.2027 while 2028 was missing, so provisional; the date stored is not the one 2028 gives.
    const dispute = await db.dispute.create({
      data: {
        personId: person.id,
        subjectType: 'PROFILE_FIELD',
        field: 'specialty',
        reason: 'неверно',
        filedAt: new Date('2027-12-27T10:00:00+03:00'),
        dueAt: new Date('2028-01-12T20:59:59.999Z'),
        dueFallbackYear: 2028,
      },
    });
    lines.length = 0;
    await runCommand(['calendar:load', '2028.xml'], context);
    expect(lines).toEqual([
      'Loaded the production calendar for 2028.',
      'Provisional deadlines recomputed: 1; moved: 1; people told: 1 (the worker sends the notices).',
    ]);
    expect(await db.dispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({ dueFallbackYear: null });
    expect(await db.auditLog.count({ where: { action: 'deadline.recomputed', subjectId: dispute.id, actorId: 'cli' } })).toBe(1);
    expect(await db.notification.count({ where: { kind: 'deadline.moved', personId: person.id } })).toBe(1);
  });
});
