import type { Database } from '../../core/shared/database';
import { type CliTest, startCliTest } from '../../test/support/cli';
import { createLinkedPerson } from '../../test/support/people';
import type { AdminServices } from '../services';
import { type CliContext, runCommand } from './commands';

describe('attendance codes from the admin CLI', () => {
  let cli: CliTest;
  let db: Database;
  let services: AdminServices;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    cli = await startCliTest();
    ({ db, services, lines, context } = cli);
    await db.organization.create({ data: { code: 'CLI2', name: 'Поликлиника' } });
  });

  beforeEach(() => cli.clear());

  afterAll(async () => {
    await cli?.stop();
  });

  it('issues personal codes to those signed up and lists who claimed', async () => {
    const organization = await db.organization.findUniqueOrThrow({ where: { code: 'CLI2' } });
    const event = await db.event.create({
      data: {
        organizationId: organization.id,
        title: 'Школа диабета',
        format: 'WEBINAR',
        kind: 'EVENT',
        startsAt: new Date('2026-11-24T07:00:00Z'),
        endsAt: new Date('2026-11-24T09:00:00Z'),
        zet: 2,
      },
    });
    const nina = await createLinkedPerson({ db }, 8301, { organizationCode: 'CLI2', fullName: 'Сестрова Нина' });
    await db.eventRegistration.create({ data: { eventId: event.id, personId: nina.id } });

    await runCommand(['codes:issue', 'CLI2', event.id, '--days', '3', '--bot', 'nmo_demo_bot'], context);
    expect(lines[0]).toBe('fullName\tcode\tlink\tmaxClaims\texpiresAt');
    const row =
      /^Сестрова Нина\t([2-9A-Z]{4}-[2-9A-Z]{4})\thttps:\/\/t\.me\/nmo_demo_bot\?start=code_\1\t1\t2026-11-28T09:00:00\.000Z$/.exec(
        lines[1],
      );
    expect(row).not.toBeNull();
    expect(await services.attendance.claim(nina, row![1], 8301n)).toMatchObject({ ok: true });

    cli.clear();
    await runCommand(['codes:claims', 'CLI2', event.id], context);
    expect(lines).toEqual(['! Школа диабета: 1 claim(s); codes used 1 of 1.', '2026-11-25T09:00:00.000Z\tСестрова Нина\tpersonal\t2']);

    await expect(runCommand(['codes:issue', 'CLI2', event.id, '--shared', '0'], context)).rejects.toThrow(
      '--shared must be a whole number from 1 to 5000',
    );
    await expect(runCommand(['codes:claims', 'CLI2', '00000000-0000-4000-8000-000000000000'], context)).rejects.toThrow('no event');
  });
});
