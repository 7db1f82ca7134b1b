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
});
