import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { getShippedRuleSet } from '../../core/rules';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase } from '../../test/support/database';
import { createAdminServices } from '../services';
import { type CliContext, runCommand } from './commands';

describe('admin CLI on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let dir: string;
  let lines: string[];
  let requested: string[];
  let context: CliContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'nmo-cli-'));
    requested = [];
    const services = createAdminServices({
      db,
      cipher: new PersonalDataCipher(randomBytes(32)),
      clock: new FixedClock(new Date('2026-11-25T09:00:00Z')),
      ruleSets: new RuleSetRepository(db),
      evaluations: { request: async (personId) => void requested.push(personId) },
    });
    context = {
      services,
      out: (line) => lines.push(line),
      err: (line) => lines.push(`! ${line}`),
      readFile: (file) => readFile(path.resolve(dir, file)),
      botUsername: async (flag) => flag ?? 'nmo_bot',
      evaluationNote: () => 'REDIS_URL is not set: the people concerned will be re-evaluated in the nightly sweep.',
    };
  });

  beforeEach(() => {
    lines = [];
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an organization, imports its roster and credits, and issues invites', async () => {
    await runCommand(['org:create', 'cli1', 'ГБУЗ', 'Поликлиника', '№', '3', '--contacts', 'hr@p3.example'], context);
    expect(lines).toEqual(['Created CLI1 — ГБУЗ Поликлиника № 3.']);
    await expect(runCommand(['org:create', 'CLI1', 'Ещё раз'], context)).rejects.toThrow('organization CLI1 already exists');

    writeFileSync(
      path.join(dir, 'roster.csv'),
      'Табельный номер,ФИО,Категория,СНИЛС\nT-1,Иванова Мария Петровна,медсестра,112-233-445 95\nT-2,Петров Пётр,доктор наук,\n',
    );
    lines = [];
    await runCommand(['roster:import', 'CLI1', 'roster.csv'], context);
    expect(lines).toEqual([
      'Roster import into CLI1: 2 row(s) — 1 created, 0 updated, 0 unchanged, 1 rejected',
      'Rejected rows (row numbers as in the file, header = 1):',
      '  row 3: category-unknown',
    ]);

    writeFileSync(path.join(dir, 'credits.csv'), 'СНИЛС;Вид;Часы;Дата\n11223344595;ПК;36;10.02.2025\n');
    lines = [];
    await runCommand(['credits:import', 'CLI1', 'credits.csv'], context);
    expect(lines).toEqual([
      'Credit import into CLI1: 1 row(s) — 1 created, 0 updated, 0 unchanged, 0 rejected',
      '! REDIS_URL is not set: the people concerned will be re-evaluated in the nightly sweep.',
    ]);

    lines = [];
    await runCommand(['invites:issue', 'CLI1', 'T-1', 'T-9', '--days', '10', '--bot', 'nmo_demo_bot'], context);
    expect(lines[0]).toBe('externalId\tfullName\tcode\tlink\texpiresAt');
    expect(lines[1]).toMatch(
      /^T-1\tИванова Мария Петровна\t([2-9A-Z]{4}-[2-9A-Z]{4})\thttps:\/\/t\.me\/nmo_demo_bot\?start=\1\t2026-12-05T09:00:00\.000Z$/,
    );
    expect(lines.slice(2)).toEqual([
      '! 1 invite code(s) issued; they are shown only now, keep this output safe.',
      '! Not in the roster: T-9',
    ]);
    await expect(runCommand(['invites:issue', 'CLI1', '--days', '400'], context)).rejects.toThrow(
      '--days must be a whole number from 1 to 365',
    );

    lines = [];
    await runCommand(['org:show', 'cli1'], context);
    expect(lines).toEqual([
      'CLI1 — ГБУЗ Поликлиника № 3',
      'contacts: hr@p3.example',
      'roster: 1 (0 linked), active invite codes: 1',
      'rule sets: none assigned (the published rule nmo-709n applies)',
    ]);
    const journal = await db.auditLog.findMany({ where: { actorType: 'admin', actorId: 'cli' } });
    expect(new Set(journal.map((j) => j.action))).toEqual(
      new Set([
        'organization.created',
        'roster-entry.created',
        'roster.imported',
        'credit-entry.imported',
        'credits.imported',
        'invite.issued',
      ]),
    );
  });

  it('installs, lists and assigns rule sets, and refuses bad input with one line', async () => {
    writeFileSync(
      path.join(dir, 'local.json'),
      JSON.stringify({ ...getShippedRuleSet('nmo-709n'), code: 'nmo-cli', minimums: { pk: 74 } }),
    );
    await runCommand(['rule-set:install', 'local.json'], context);
    expect(lines).toEqual(['Installed nmo-cli v1.']);
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ ...getShippedRuleSet('nmo-709n'), code: 'nmo-broken', required: -1 }));
    await expect(runCommand(['rule-set:install', 'broken.json'], context)).rejects.toThrow(
      /^rule set refused: required: must be greater than 0/,
    );
    lines = [];
    await runCommand(['rule-set:list'], context);
    expect(lines).toEqual([expect.stringMatching(/^nmo-cli\tv1\t/)]);

    await runCommand(['org:create', 'CLI2', 'Аптека'], context);
    lines = [];
    await runCommand(['rule-set:assign', 'CLI2', 'nmo-cli', 'врач'], context);
    expect(lines).toEqual(['CLI2: DOCTOR → nmo-cli']);
    await expect(runCommand(['rule-set:assign', 'CLI2', 'nope'], context)).rejects.toThrow('no rule set "nope" is installed');
    await expect(runCommand(['rule-set:assign', 'NOWHERE', 'nmo-cli'], context)).rejects.toThrow(
      'no organization "NOWHERE" (create it with org:create)',
    );
    await expect(runCommand(['roster:import', 'CLI2', 'missing.csv'], context)).rejects.toThrow('missing.csv: cannot read (ENOENT)');
    writeFileSync(path.join(dir, 'wrong.csv'), 'a;b\n1;2\n');
    await expect(runCommand(['roster:import', 'CLI2', 'wrong.csv'], context)).rejects.toThrow(
      /^wrong\.csv: missing column\(s\): externalId/,
    );
  });

  it('reports a CSV row with a stray quote by row and column and imports every other row (#12.5)', async () => {
    await runCommand(['org:create', 'CLI3', 'Стационар'], context);
    writeFileSync(
      path.join(dir, 'quote.csv'),
      'Табельный номер;ФИО;Категория\nQ-1;Иванова Мария Петровна;медсестра\n"Q-2;Петров Пётр Петрович;врач\nQ-3;Сидоров Иван Ильич;врач\nQ-4;Кузнецова Анна Олеговна;медсестра\n',
    );
    lines = [];
    await runCommand(['roster:import', 'CLI3', 'quote.csv'], context);
    expect(lines.slice(0, 3)).toEqual([
      'Roster import into CLI3: 4 row(s) — 3 created, 0 updated, 0 unchanged, 1 rejected',
      'Rejected rows (row numbers as in the file, header = 1):',
      '  row 3, column 1: csv-quote-unclosed',
    ]);
    const organization = await db.organization.findUniqueOrThrow({ where: { code: 'CLI3' } });
    const entries = await db.rosterEntry.findMany({ where: { organizationId: organization.id }, orderBy: { externalId: 'asc' } });
    expect(entries.map((e) => e.externalId)).toEqual(['Q-1', 'Q-3', 'Q-4']);
  });
});
