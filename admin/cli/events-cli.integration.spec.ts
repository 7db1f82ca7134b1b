import { EventsService } from '../../core/events/events.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import type { Database } from '../../core/shared/database';
import { type CliTest, startCliTest } from '../../test/support/cli';
import { type CliContext, runCommand } from './commands';

/** The education department scripts its plan from the terminal: a program, an event in it, the list, a cancellation. */
describe('admin CLI: events and programs', () => {
  let cli: CliTest;
  let db: Database;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    cli = await startCliTest({
      extra: ({ db, clock }) => ({
        events: new EventsService(db, new NotificationsService(db, { dispatch: async () => undefined }, clock), clock),
      }),
    });
    ({ db, lines, context } = cli);
    await db.organization.create({ data: { code: 'CLI1', name: 'Поликлиника №3' } });
  });

  beforeEach(() => cli.clear());

  afterAll(async () => {
    await cli?.stop();
  });

  it('creates a program and an event in it, lists it, refuses bad flags, and cancels it with a reason', async () => {
    await runCommand(['programs:create', 'CLI1', '--title=Неотложная помощь', '--goal=Все медсёстры обучены СЛР'], context);
    const programId = /^Created program (\S+)/.exec(lines[0])![1];
    await expect(
      runCommand(
        [
          'events:create',
          'CLI1',
          '--title=СЛР',
          '--format=webinar',
          '--kind=EVENT',
          '--starts=2026-12-10T07:00:00Z',
          '--ends=2026-12-10T09:00:00Z',
          '--zet=2',
        ],
        context,
      ),
    ).rejects.toThrow('link: link-required');
    await runCommand(
      [
        'events:create',
        'CLI1',
        '--title=СЛР',
        '--format=conference',
        '--kind=pk',
        '--starts=2026-12-10T07:00:00Z',
        '--ends=2026-12-10T09:00:00Z',
        '--zet=1,5',
        '--place=Зал 1',
        '--capacity=20',
        '--categories=nurse',
        `--program=${programId}`,
      ],
      context,
    );
    const eventId = /^Created (\S+)/.exec(lines[1])![1];
    expect(await db.event.findUniqueOrThrow({ where: { id: eventId } })).toMatchObject({
      kind: 'PK',
      zet: 1.5,
      capacity: 20,
      categories: ['NURSE'],
      programId,
    });
    await runCommand(['events:list', 'CLI1'], context);
    expect(lines[2]).toBe(`${eventId}\t2026-12-10T07:00:00.000Z\tSCHEDULED\t0/20\tСЛР`);
    await expect(runCommand(['events:cancel', 'CLI1', eventId], context)).rejects.toThrow('--reason');
    await runCommand(['events:cancel', 'CLI1', eventId, '--reason=Карантин'], context);
    expect((await db.event.findUniqueOrThrow({ where: { id: eventId } })).cancelReason).toBe('Карантин');
    expect(await db.auditLog.count({ where: { subjectId: eventId, actorType: 'admin', actorId: 'cli' } })).toBe(2);
    await expect(runCommand(['events:list', 'NOPE'], context)).rejects.toThrow('no organization "NOPE"');
  });

  it('edits an event (seats not below sign-ups), lists, edits and archives programs; every change journaled', async () => {
    await runCommand(['programs:create', 'CLI1', '--title=Инфекционная безопасность', '--budget=100000'], context);
    const programId = /^Created program (\S+)/.exec(lines[0])![1];
    await runCommand(
      [
        'events:create',
        'CLI1',
        '--title=ИСМП',
        '--format=conference',
        '--kind=event',
        '--starts=2026-12-12T07:00:00Z',
        '--ends=2026-12-12T09:00:00Z',
        '--zet=2',
        '--place=Зал 2',
        '--capacity=10',
      ],
      context,
    );
    const eventId = /^Created (\S+)/.exec(lines[1])![1];
    const nurse = await db.person.create({
      data: {
        fullName: 'Медсестра',
        onboardingStep: 'LINKED',
        organizationId: (await db.organization.findUniqueOrThrow({ where: { code: 'CLI1' } })).id,
      },
    });
    for (const personId of [nurse.id]) await db.eventRegistration.create({ data: { eventId, personId } });

    await runCommand(
      [
        'events:edit',
        'CLI1',
        eventId,
        '--zet=3,5',
        '--capacity=5',
        '--title=Профилактика ИСМП',
        `--program=${programId}`,
        '--budget-line=Обучение 2027',
        '--cost=12000',
      ],
      context,
    );
    expect(lines[2]).toBe(`Updated ${eventId}\t2026-12-12T07:00:00.000Z\tПрофилактика ИСМП`);
    expect(await db.event.findUniqueOrThrow({ where: { id: eventId } })).toMatchObject({
      zet: 3.5,
      capacity: 5,
      programId,
      budgetLine: 'Обучение 2027',
    });
    await expect(runCommand(['events:edit', 'CLI1', eventId, '--capacity=0'], context)).rejects.toThrow('capacity: capacity-invalid');
    await db.eventRegistration.create({
      data: { eventId, personId: (await db.person.create({ data: { fullName: 'Вторая', onboardingStep: 'LINKED' } })).id },
    });
    await expect(runCommand(['events:edit', 'CLI1', eventId, '--capacity=1'], context)).rejects.toThrow(
      'capacity: capacity-below-sign-ups (taken 2)',
    );
    await expect(runCommand(['events:edit', 'CLI1', eventId, '--capasity=3'], context)).rejects.toThrow('unknown flag --capasity');
    await expect(runCommand(['events:edit', 'CLI1', eventId], context)).rejects.toThrow('nothing to change');
    await runCommand(['events:edit', 'CLI1', eventId, '--capacity='], context);
    expect((await db.event.findUniqueOrThrow({ where: { id: eventId } })).capacity).toBeNull();
    const journal = await db.auditLog.findMany({ where: { subjectId: eventId, action: 'event.updated' }, orderBy: { at: 'asc' } });
    expect(journal.map((r) => [(r.before as { zet: number }).zet, (r.after as { zet: number }).zet])).toEqual([
      [2, 3.5],
      [3.5, 3.5],
    ]);

    await runCommand(['programs:edit', 'CLI1', programId, '--goal=Снизить ИСМП', '--budget='], context);
    expect(await db.program.findUniqueOrThrow({ where: { id: programId } })).toMatchObject({
      goal: 'Снизить ИСМП',
      budget: null,
      title: 'Инфекционная безопасность',
    });
    await expect(runCommand(['programs:edit', 'CLI1', programId, '--title='], context)).rejects.toThrow('title: title-empty');
    cli.clear();
    await runCommand(['programs:list', 'CLI1'], context);
    expect(lines).toContain(`${programId}\tACTIVE\t1\t-\tИнфекционная безопасность\tСнизить ИСМП\t-`);
    await runCommand(['programs:archive', 'CLI1', programId], context);
    cli.clear();
    await runCommand(['programs:list', 'CLI1'], context);
    expect(lines.find((l) => l.startsWith(programId))).toContain('\tARCHIVED\t1\t');
    await expect(runCommand(['programs:archive', 'CLI1', '00000000-0000-4000-8000-000000000000'], context)).rejects.toThrow('no program');
    expect((await db.auditLog.findMany({ where: { subjectId: programId }, orderBy: { at: 'asc' } })).map((r) => r.action)).toEqual([
      'program.created',
      'program.updated',
      'program.archived',
    ]);
  });
});
