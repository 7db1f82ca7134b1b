import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createAdminServices } from '../services';
import { type CliContext, runCommand } from './commands';

/** The platform operator names an organization's admins from the terminal and hands one an API key. */
describe('admin CLI: organization admins', () => {
  let database: TestDatabase;
  let db: Database;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
    const services = createAdminServices({ db, cipher: new PersonalDataCipher(randomBytes(32)), clock, ruleSets: new RuleSetRepository(db), evaluations: { request: async () => undefined } });
    context = { services, out: (line) => lines.push(line), err: (line) => lines.push(`! ${line}`), readFile: async () => Buffer.alloc(0), botUsername: async () => 'nmo_bot' };
    const organization = await db.organization.create({ data: { code: 'CLI2', name: 'Роддом №2' } });
    const person = await db.person.create({ data: { fullName: 'Орлова Нина', onboardingStep: 'LINKED', organizationId: organization.id } });
    await db.rosterEntry.create({ data: { organizationId: organization.id, externalId: 'E-1', fullName: 'Орлова Нина', category: 'ADMINISTRATOR', personId: person.id } });
    await db.rosterEntry.create({ data: { organizationId: organization.id, externalId: 'E-2', fullName: 'Белова Зоя', category: 'NURSE' } });
  });

  beforeEach(() => {
    lines = [];
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('grants, lists, issues a key only to a linked admin, and revokes', async () => {
    await expect(runCommand(['admins:key', 'CLI2', 'E-1'], context)).rejects.toThrow('does not hold the ADMIN role');
    await runCommand(['admins:grant', 'CLI2', 'E-1'], context);
    await runCommand(['admins:grant', 'CLI2', 'E-2'], context);
    expect(lines).toEqual(['Орлова Нина is now an admin of CLI2.', 'Белова Зоя is now an admin of CLI2 (from the moment they link the bot).']);
    await expect(runCommand(['admins:key', 'CLI2', 'E-2'], context)).rejects.toThrow('has not linked the bot yet');

    lines = [];
    await runCommand(['admins:key', 'CLI2', 'E-1', '--label=ноутбук'], context);
    expect(lines[0]).toMatch(/^nmoorg_[A-Za-z0-9_-]{32}$/);
    expect(lines[1]).toContain('shown only now');
    expect(await context.services.orgAdmins.authenticate(lines[0])).toMatchObject({ organization: { code: 'CLI2' } });

    lines = [];
    await runCommand(['admins:list', 'CLI2'], context);
    expect(lines).toEqual([expect.stringMatching(/^E-2\tБелова Зоя\tnot linked yet\t0 key\(s\)$/), expect.stringMatching(/^E-1\tОрлова Нина\tlinked\t1 key\(s\)\t\S+ \(ноутбук\)$/)]);

    const key = (await db.adminApiKey.findFirstOrThrow()).id;
    lines = [];
    await runCommand(['admins:revoke', 'CLI2', 'E-1'], context);
    expect(lines).toEqual(['Орлова Нина is no longer an admin of CLI2.']);
    expect((await db.adminApiKey.findUniqueOrThrow({ where: { id: key } })).revokedAt).not.toBeNull();
    await expect(runCommand(['admins:grant', 'CLI2', 'E-404'], context)).rejects.toThrow('no roster entry');
  });
});
