import { randomBytes } from 'node:crypto';
import { EventsService } from '../../core/events/events.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createAdminServices } from '../services';
import { type CliContext, runCommand } from './commands';

/** The education department scripts its plan from the terminal: a program, an event in it, the list, a cancellation. */
describe('admin CLI: events and programs', () => {
  let database: TestDatabase;
  let db: Database;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
    const services = createAdminServices({ db, cipher: new PersonalDataCipher(randomBytes(32)), clock, ruleSets: new RuleSetRepository(db), evaluations: { request: async () => undefined } });
    context = {
      services,
      out: (line) => lines.push(line),
      err: (line) => lines.push(`! ${line}`),
      readFile: async () => Buffer.alloc(0),
      botUsername: async () => 'nmo_bot',
      events: new EventsService(db, new NotificationsService(db, { dispatch: async () => undefined }, clock), clock),
    };
    await db.organization.create({ data: { code: 'CLI1', name: 'Поликлиника №3' } });
  });

  beforeEach(() => {
    lines = [];
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('creates a program and an event in it, lists it, refuses bad flags, and cancels it with a reason', async () => {
    await runCommand(['programs:create', 'CLI1', '--title=Неотложная помощь', '--goal=Все медсёстры обучены СЛР'], context);
    const programId = /^Created program (\S+)/.exec(lines[0])![1];
    await expect(runCommand(['events:create', 'CLI1', '--title=СЛР', '--format=webinar', '--kind=EVENT', '--starts=2026-12-10T07:00:00Z', '--ends=2026-12-10T09:00:00Z', '--zet=2'], context)).rejects.toThrow('link: link-required');
    await runCommand(['events:create', 'CLI1', '--title=СЛР', '--format=conference', '--kind=pk', '--starts=2026-12-10T07:00:00Z', '--ends=2026-12-10T09:00:00Z', '--zet=1,5', '--place=Зал 1', '--capacity=20', '--categories=nurse', `--program=${programId}`], context);
    const eventId = /^Created (\S+)/.exec(lines[1])![1];
    expect(await db.event.findUniqueOrThrow({ where: { id: eventId } })).toMatchObject({ kind: 'PK', zet: 1.5, capacity: 20, categories: ['NURSE'], programId });
    await runCommand(['events:list', 'CLI1'], context);
    expect(lines[2]).toBe(`${eventId}\t2026-12-10T07:00:00.000Z\tSCHEDULED\t0/20\tСЛР`);
    await expect(runCommand(['events:cancel', 'CLI1', eventId], context)).rejects.toThrow('--reason');
    await runCommand(['events:cancel', 'CLI1', eventId, '--reason=Карантин'], context);
    expect((await db.event.findUniqueOrThrow({ where: { id: eventId } })).cancelReason).toBe('Карантин');
    expect(await db.auditLog.count({ where: { subjectId: eventId, actorType: 'admin', actorId: 'cli' } })).toBe(2);
    await expect(runCommand(['events:list', 'NOPE'], context)).rejects.toThrow('no organization "NOPE"');
  });
});
