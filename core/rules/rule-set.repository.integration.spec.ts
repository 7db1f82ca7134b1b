import { createDatabase, type Database } from '../shared/database';
import { createTestDatabase } from '../../test/support/database';
import { getShippedRuleSet } from './index';
import { RuleSetRepository } from './rule-set.repository';

/** Real PostgreSQL: the repository re-reads only the version on each call, and a new version wins at once. */
describe('RuleSetRepository.latest', () => {
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

  it('gives the installed definition, the same object while the version stands, and a newer version as soon as it is installed', async () => {
    const repository = new RuleSetRepository(db);
    const shipped = getShippedRuleSet('nmo-709n');
    await repository.install(JSON.parse(JSON.stringify(shipped)), { type: 'system' });

    const first = await repository.latest('nmo-709n');
    expect(first).toMatchObject({ code: 'nmo-709n', version: shipped.version });
    expect(await repository.latest('nmo-709n')).toBe(first);

    const newer = {
      ...JSON.parse(JSON.stringify(shipped)),
      version: shipped.version + 1,
      name: { ru: 'НМО (новая редакция)', en: 'CME (new edition)' },
    };
    expect(await repository.install(newer, { type: 'system' })).toMatchObject({ ok: true, created: true });
    const second = await repository.latest('nmo-709n');
    expect(second).toMatchObject({ version: shipped.version + 1, name: newer.name });
    // Another repository (another replica) sees the same newest version.
    expect(await new RuleSetRepository(db).latest('nmo-709n')).toMatchObject({ version: shipped.version + 1 });
  });

  it('falls back to the shipped definition of a code nobody installed', async () => {
    expect(await new RuleSetRepository(db).latest('seed-actions')).toBe(getShippedRuleSet('seed-actions'));
  });

  it("resolves each person: their category's assignment, else the general one, else the published rule", async () => {
    const repository = new RuleSetRepository(db);
    await repository.installShipped();
    const [a, b, c] = await Promise.all(
      ['RA', 'RB', 'RC'].map((code) => db.organization.create({ data: { code: `${code}-${Date.now()}`, name: code } })),
    );
    await repository.assign(a.id, 'seed-actions', 'NURSE');
    await repository.assign(a.id, 'seed-accreditation', null);
    await repository.assign(b.id, 'seed-actions', null);
    // An assignment naming a code nobody installed (stored before the code was removed, say).
    await db.ruleSetAssignment.create({ data: { organizationId: c.id, category: null, ruleSetCode: 'withdrawn-rules' } });
    const codes = (
      await repository.forPeople([
        { organizationId: a.id, category: 'NURSE' },
        { organizationId: a.id, category: 'DOCTOR' },
        { organizationId: a.id, category: null },
        { organizationId: b.id, category: 'NURSE' },
        { organizationId: c.id, category: 'NURSE' },
        { organizationId: null, category: 'NURSE' },
      ])
    ).map((ruleSet) => ruleSet.code);
    expect(codes).toEqual(['seed-actions', 'seed-accreditation', 'seed-accreditation', 'seed-actions', 'nmo-709n', 'nmo-709n']);
    expect((await repository.forPerson({ organizationId: a.id, category: 'NURSE' })).code).toBe('seed-actions');
    expect((await repository.forPerson({ organizationId: null, category: null })).code).toBe('nmo-709n');

    // A new version of an assigned code applies at once, to this repository and to another replica's.
    const actions = await repository.latest('seed-actions');
    const newer = { ...JSON.parse(JSON.stringify(actions)), version: actions!.version + 1 };
    expect(await repository.install(newer, { type: 'system' })).toMatchObject({ ok: true, created: true });
    for (const replica of [repository, new RuleSetRepository(db)]) {
      expect(await replica.forPerson({ organizationId: b.id, category: 'DOCTOR' })).toMatchObject({
        code: 'seed-actions',
        version: actions!.version + 1,
      });
    }
  });
});
