import { randomBytes } from 'node:crypto';
import { normaliseInviteCode } from '../../core/linking/invite-codes';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { createDatabase, type Database } from '../../core/shared/database';
import { DEMO_STAFF, seedDemo } from '../../prisma/seed';
import { createTestDatabase } from '../support/database';

describe('the demo seed on a real PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
  });

  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('can run on every start: the second run changes nothing', async () => {
    const cipher = new PersonalDataCipher(randomBytes(32));
    await seedDemo(db, cipher);
    const counts = async () => ({
      organizations: await db.organization.count(),
      roster: await db.rosterEntry.count(),
      invites: await db.inviteCode.count(),
      ruleSets: await db.ruleSet.count(),
      creditTypes: await db.creditType.count(),
    });
    const first = await counts();
    await seedDemo(db, cipher);
    expect(await counts()).toEqual(first);
    expect(first).toMatchObject({ organizations: 1, roster: DEMO_STAFF.length, invites: DEMO_STAFF.length, ruleSets: 3 });
  });

  it('gives every demo person a code the linking journey accepts as typed, and a unit (отделение)', () => {
    for (const member of DEMO_STAFF) {
      expect(normaliseInviteCode(member.inviteCode)).toBe(member.inviteCode.replace('-', ''));
      expect(member.department).not.toBe('');
    }
  });

  it('installs the shipped rule sets so that the latest version is read back intact', async () => {
    const nmo = await new RuleSetRepository(db).latest('nmo-709n');
    expect(nmo).toMatchObject({ code: 'nmo-709n', required: 144, minimums: { pk: 72 } });
  });
});
