import type { Database } from '../../core/shared/database';
import { type CliTest, startCliTest } from '../../test/support/cli';
import { type CliContext, runCommand } from './commands';

describe('admin CLI: organization admins', () => {
  let cli: CliTest;
  let db: Database;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    cli = await startCliTest();
    ({ db, lines, context } = cli);
    const organization = await db.organization.create({ data: { code: 'CLI2', name: 'Роддом №2' } });
    const person = await db.person.create({ data: { fullName: 'Орлова Нина', onboardingStep: 'LINKED', organizationId: organization.id } });
    await db.rosterEntry.create({
      data: { organizationId: organization.id, externalId: 'E-1', fullName: 'Орлова Нина', category: 'ADMINISTRATOR', personId: person.id },
    });
    await db.rosterEntry.create({
      data: { organizationId: organization.id, externalId: 'E-2', fullName: 'Белова Зоя', category: 'NURSE' },
    });
  });

  beforeEach(() => cli.clear());

  afterAll(async () => {
    await cli?.stop();
  });

  it('grants, lists, issues a key only to a linked admin, and revokes', async () => {
    await expect(runCommand(['admins:key', 'CLI2', 'E-1'], context)).rejects.toThrow('does not hold the ADMIN role');
    await runCommand(['admins:grant', 'CLI2', 'E-1'], context);
    await runCommand(['admins:grant', 'CLI2', 'E-2'], context);
    expect(lines).toEqual([
      'Орлова Нина is now an admin of CLI2.',
      'Белова Зоя is now an admin of CLI2 (from the moment they link the bot).',
    ]);
    await expect(runCommand(['admins:key', 'CLI2', 'E-2'], context)).rejects.toThrow('has not linked the bot yet');

    cli.clear();
    await runCommand(['admins:key', 'CLI2', 'E-1', '--label=ноутбук'], context);
    expect(lines[0]).toMatch(/^nmoorg_[A-Za-z0-9_-]{32}$/);
    expect(lines[1]).toContain('shown only now');
    expect(await context.services.orgAdmins.authenticate(lines[0])).toMatchObject({ organization: { code: 'CLI2' } });

    cli.clear();
    await runCommand(['admins:list', 'CLI2'], context);
    expect(lines).toEqual([
      expect.stringMatching(/^E-2\tБелова Зоя\tnot linked yet\t0 key\(s\)$/),
      expect.stringMatching(/^E-1\tОрлова Нина\tlinked\t1 key\(s\)\t\S+ \(ноутбук\)$/),
    ]);

    const key = (await db.adminApiKey.findFirstOrThrow()).id;
    cli.clear();
    await runCommand(['admins:revoke', 'CLI2', 'E-1'], context);
    expect(lines).toEqual(['Орлова Нина is no longer an admin of CLI2.']);
    expect((await db.adminApiKey.findUniqueOrThrow({ where: { id: key } })).revokedAt).not.toBeNull();
    await expect(runCommand(['admins:grant', 'CLI2', 'E-404'], context)).rejects.toThrow('no roster entry');
  });
});
