import { randomBytes } from 'node:crypto';
import type { Organization } from '../../generated/prisma/client';
import { createTestDatabase } from '../../test/support/database';
import { CreditImportService } from '../credits/credit-import.service';
import type { EvaluationRequests } from '../credits/credits.service';
import { inviteCodeHash, normaliseInviteCode } from '../linking/invite-codes';
import { OnboardingService } from '../linking/onboarding.service';
import { PersonalDataCipher } from '../people/personal-data';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import type { ImportOutcome, ImportReport } from './import-report';
import type { ImportTable } from './import-table';
import { InvitesService } from './invites.service';
import { OrganizationsService } from './organizations.service';
import { RosterImportService } from './roster-import.service';

/** A table as infra/tabular would read it: ';'-separated lines, the first one the header. */
function table(text: string): ImportTable {
  const [header, ...lines] = text.trim().split('\n');
  return { headers: header.split(';'), rows: lines.map((line, i) => ({ row: i + 2, cells: line.split(';').map((c) => c.trim()) })) };
}

function reportOf(outcome: ImportOutcome): ImportReport {
  if (!outcome.ok) throw new Error(`file refused: ${JSON.stringify(outcome.problem)}`);
  return outcome.report;
}

class RecordingEvaluations implements EvaluationRequests {
  readonly requests: Array<{ personId: string; reason: string }> = [];
  async request(personId: string, reason: string): Promise<void> {
    this.requests.push({ personId, reason });
  }
}

const ACTOR = { type: 'admin', id: 'test' } as const;
const PHONE = '+79161234567';
const SNILS = '11223344595';

const ROSTER = `Табельный номер;ФИО;Категория;Специальность;Телефон;СНИЛС;Дата последней аккредитации
T-1;Иванова Мария Петровна;медсестра;Сестринское дело;8 (916) 123-45-67;112-233-445 95;15.03.2023
T-2;Петров Алексей Сергеевич;врач;Терапия;;;01.06.2022
T-3;Сидорова Анна;фармацевт;;;112-233-445 96;
T-4;Кузнецов Иван Ильич;хирург;;12;;31.02.2024
T-1;Иванова Мария Петровна;медсестра;;;;
;Без Номера;врач;;;;`;

describe('organization imports on PostgreSQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let cipher: PersonalDataCipher;
  let clock: FixedClock;
  let evaluations: RecordingEvaluations;
  let ruleSets: RuleSetRepository;
  let organizations: OrganizationsService;
  let roster: RosterImportService;
  let credits: CreditImportService;
  let invites: InvitesService;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    cipher = new PersonalDataCipher(randomBytes(32));
    clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
    evaluations = new RecordingEvaluations();
    ruleSets = new RuleSetRepository(db);
    organizations = new OrganizationsService(db, ruleSets, clock);
    roster = new RosterImportService(db, cipher, evaluations, clock);
    credits = new CreditImportService(db, cipher, ruleSets, evaluations, clock);
    invites = new InvitesService(db, cipher, clock);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(() => {
    evaluations.requests.length = 0;
  });

  let counter = 0;
  async function newOrganization(): Promise<Organization> {
    counter += 1;
    const created = await organizations.create(
      { code: `ORG${counter}-${randomBytes(2).toString('hex').toUpperCase()}`, name: `Больница ${counter}` },
      ACTOR,
    );
    if (!created.ok) throw new Error(created.reason);
    return created.organization;
  }

  it('imports a roster row by row, with every reason for each rejected row', async () => {
    const org = await newOrganization();
    const report = reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
    expect(report).toEqual({
      total: 6,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: [
        { row: 4, reasons: ['snils-checksum'] },
        { row: 5, reasons: ['category-unknown', 'phone-format', 'date-invalid'] },
        { row: 6, reasons: ['external-id-duplicate'] },
        { row: 7, reasons: ['external-id-missing'] },
      ],
    });
    const entries = await db.rosterEntry.findMany({ where: { organizationId: org.id }, orderBy: { externalId: 'asc' } });
    expect(entries.map((e) => [e.externalId, e.fullName, e.category, e.specialty])).toEqual([
      ['T-1', 'Иванова Мария Петровна', 'NURSE', 'Сестринское дело'],
      ['T-2', 'Петров Алексей Сергеевич', 'DOCTOR', 'Терапия'],
    ]);
    expect(entries[0].phoneHash).toBe(cipher.lookupHash(PHONE));
    expect(entries[0].snilsHash).toBe(cipher.lookupHash(SNILS));
    expect(entries[0].lastAccreditationDate?.toISOString().slice(0, 10)).toBe('2023-03-15');

    // Neither the table nor the journal holds a phone or a СНИЛС in the clear.
    const audit = await db.auditLog.findMany({ where: { subjectId: { in: [org.id, ...entries.map((e) => e.id)] } } });
    const stored = JSON.stringify([entries, audit]);
    for (const secret of ['9161234567', '11223344595', '112-233-445']) expect(stored).not.toContain(secret);
    expect(audit.filter((a) => a.action === 'roster-entry.created')).toHaveLength(2);
    const summary = audit.find((a) => a.action === 'roster.imported');
    expect(summary).toMatchObject({
      actorType: 'admin',
      actorId: 'test',
      subjectType: 'organization',
      after: { total: 6, created: 2, updated: 0, unchanged: 0, rejected: 4 },
    });
  });

  it('changes nothing when the same roster is imported again, and journals a real change with before and after', async () => {
    const org = await newOrganization();
    reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
    const before = await db.rosterEntry.findMany({ where: { organizationId: org.id }, orderBy: { externalId: 'asc' } });

    const again = reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
    expect(again).toMatchObject({ total: 6, created: 0, updated: 0, unchanged: 2 });
    expect(again.rejected).toHaveLength(4);
    expect(await db.rosterEntry.findMany({ where: { organizationId: org.id }, orderBy: { externalId: 'asc' } })).toEqual(before);

    const changed = reportOf(
      await roster.import(
        org.id,
        table('Табельный номер;ФИО;Категория;Специальность\nT-2;Петров Алексей Сергеевич;врач;Кардиология'),
        ACTOR,
      ),
    );
    expect(changed).toEqual({ total: 1, created: 0, updated: 1, unchanged: 0, rejected: [] });
    const t2 = before[1];
    const [journal] = await db.auditLog.findMany({ where: { subjectId: t2.id, action: 'roster-entry.updated' } });
    expect(journal.before).toMatchObject({ specialty: 'Терапия', lastAccreditationDate: '2022-06-01' });
    // Columns the file does not have keep what was stored.
    expect(journal.after).toMatchObject({ specialty: 'Кардиология', lastAccreditationDate: '2022-06-01' });
  });

  it('never touches another organization’s roster', async () => {
    const a = await newOrganization();
    const b = await newOrganization();
    reportOf(
      await roster.import(
        b.id,
        table('Табельный номер;ФИО;Категория;СНИЛС\nT-1;Борисова Вера Павловна;врач;112-233-445 95\nT-9;Орлов Олег Олегович;врач;'),
        ACTOR,
      ),
    );
    const bBefore = await db.rosterEntry.findMany({ where: { organizationId: b.id }, orderBy: { externalId: 'asc' } });

    const report = reportOf(
      await roster.import(a.id, table('Табельный номер;ФИО;Категория;СНИЛС\nT-1;Иванова Мария Петровна;медсестра;112-233-445 95'), ACTOR),
    );
    expect(report).toMatchObject({ created: 1, updated: 0, rejected: [] });
    expect(await db.rosterEntry.findMany({ where: { organizationId: b.id }, orderBy: { externalId: 'asc' } })).toEqual(bBefore);

    // Credits for org A cannot reach org B's staff, by табельный номер or by СНИЛС.
    const file = 'Табельный номер;СНИЛС;Вид;Часы;Дата;Номер документа\nT-9;;ПК;36;10.02.2025;D-1\n;112-233-445 95;ПК;36;10.02.2025;D-2';
    const creditReport = reportOf(await credits.import(a.id, table(file), ACTOR));
    expect(creditReport.rejected).toEqual([{ row: 2, reasons: ['person-not-found'] }]);
    const aEntry = await db.rosterEntry.findFirstOrThrow({ where: { organizationId: a.id } });
    const entries = await db.creditEntry.findMany({ where: { rosterEntry: { organizationId: { in: [a.id, b.id] } } } });
    expect(entries.map((e) => [e.rosterEntryId, e.externalRef])).toEqual([[aEntry.id, 'D-2']]);
  });

  it('serialises two uploads of the same file: each record is created once', async () => {
    const org = await newOrganization();
    const rows = Array.from({ length: 40 }, (_, i) => `N-${i};Сотрудник Номер Тест;врач`).join('\n');
    const [first, second] = await Promise.all([
      roster.import(org.id, table(`Табельный номер;ФИО;Категория\n${rows}`), ACTOR),
      roster.import(org.id, table(`Табельный номер;ФИО;Категория\n${rows}`), ACTOR),
    ]);
    expect(reportOf(first).created + reportOf(second).created).toBe(40);
    expect(reportOf(first).unchanged + reportOf(second).unchanged).toBe(40);
    expect(await db.rosterEntry.count({ where: { organizationId: org.id } })).toBe(40);
  });

  describe('credits', () => {
    const CREDITS = `Табельный номер;СНИЛС;Вид;Количество;Дата;Название;Номер документа
T-1;;ПК;36;10.02.2025;Сестринское дело в терапии;УД-0042
;112-233-445 95;ИОМ;2;01.06.2025;Модуль по ЭКГ;
T-2;;мероприятие;6;20.05.2025;Конференция;
T-7;;ПК;36;10.02.2025;;
T-1;;ПК;2000;10.02.2025;;УД-0043
T-1;;йога;1;31.02.2025;;
;112-233-445 96;ПК;36;10.02.2025;;
T-1;;ПК;36;10.02.2025;Дубль;УД-0042`;

    it('reports every rejected row with its reasons, and re-importing changes nothing', async () => {
      const org = await newOrganization();
      reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
      const report = reportOf(await credits.import(org.id, table(CREDITS), ACTOR));
      expect(report).toEqual({
        total: 8,
        created: 3,
        updated: 0,
        unchanged: 0,
        rejected: [
          { row: 5, reasons: ['person-not-found'] },
          { row: 6, reasons: ['quantity-above-max'] },
          { row: 7, reasons: ['unknown-type', 'date-invalid'] },
          { row: 8, reasons: ['snils-checksum'] },
          { row: 9, reasons: ['entry-duplicate'] },
        ],
      });
      const stored = await db.creditEntry.findMany({ where: { rosterEntry: { organizationId: org.id } }, orderBy: { occurredOn: 'asc' } });
      expect(stored.map((e) => [e.creditTypeCode, e.quantity, e.source, e.verification, e.personId])).toEqual([
        ['pk', 36, 'IMPORT', 'VERIFIED', null],
        ['event', 6, 'IMPORT', 'VERIFIED', null],
        ['iom', 2, 'IMPORT', 'VERIFIED', null],
      ]);
      expect(evaluations.requests).toEqual([]);

      const again = reportOf(await credits.import(org.id, table(CREDITS), ACTOR));
      expect(again).toMatchObject({ total: 8, created: 0, updated: 0, unchanged: 3 });
      expect(await db.creditEntry.findMany({ where: { rosterEntry: { organizationId: org.id } }, orderBy: { occurredOn: 'asc' } })).toEqual(
        stored,
      );

      // The same document with a corrected quantity is an update, journaled with before and after.
      const fixed = reportOf(
        await credits.import(org.id, table('Табельный номер;Вид;Часы;Дата;Номер документа\nT-1;ПК;72;10.02.2025;УД-0042'), ACTOR),
      );
      expect(fixed).toMatchObject({ created: 0, updated: 1 });
      const journal = await db.auditLog.findFirstOrThrow({ where: { action: 'credit-entry.updated', subjectId: stored[0].id } });
      expect(journal).toMatchObject({ actorType: 'admin', before: { quantity: 36 }, after: { quantity: 72 } });
    });

    it('keeps records of staff not linked yet on the roster entry, hands them over on linking, and re-evaluates linked people', async () => {
      const org = await newOrganization();
      reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
      reportOf(await credits.import(org.id, table(CREDITS), ACTOR));
      const t1 = await db.rosterEntry.findFirstOrThrow({ where: { organizationId: org.id, externalId: 'T-1' } });
      expect(await db.creditEntry.count({ where: { rosterEntryId: t1.id, personId: null } })).toBe(2);

      // Link T-1 the way people do: an invite code typed at the last onboarding step.
      const issued = await invites.issue(org.id, { botUsername: 'nmo_test_bot', externalIds: ['T-1'] }, ACTOR);
      const person = await db.person.create({
        data: {
          fullName: 'Иванова Мария Петровна',
          phoneHash: cipher.lookupHash(PHONE),
          onboardingStep: 'INVITE_CODE',
          onboardingDraft: { organizationId: org.id },
        },
      });
      const linked = await new OnboardingService(db, cipher, clock).submitInviteCode(person, issued.invites[0].code, 424242n);
      expect(linked).toMatchObject({ ok: true, step: 'LINKED' });
      expect(await db.creditEntry.count({ where: { rosterEntryId: t1.id, personId: person.id } })).toBe(2);

      // Re-importing what is there asks for nothing; a new record of a linked person is theirs at once.
      reportOf(await credits.import(org.id, table(CREDITS), ACTOR));
      expect(evaluations.requests).toEqual([]);
      const more = reportOf(
        await credits.import(
          org.id,
          table('Табельный номер;Вид;Часы;Дата;Номер документа\nT-1;ИОМ;3;02.07.2025;M-3\nT-2;ИОМ;3;02.07.2025;M-3'),
          ACTOR,
        ),
      );
      expect(more).toMatchObject({ created: 2, rejected: [] });
      expect(await db.creditEntry.findFirst({ where: { externalRef: 'M-3', rosterEntryId: t1.id } })).toMatchObject({
        personId: person.id,
      });
      expect(evaluations.requests).toEqual([{ personId: person.id, reason: 'import' }]);

      // The roster is the organization's word on a linked person's cycle: a new date moves it.
      evaluations.requests.length = 0;
      const moved = reportOf(
        await roster.import(
          org.id,
          table('Табельный номер;ФИО;Категория;Дата последней аккредитации\nT-1;Иванова Мария Петровна;медсестра;20.03.2024'),
          ACTOR,
        ),
      );
      expect(moved).toMatchObject({ updated: 1 });
      const after = await db.person.findUniqueOrThrow({ where: { id: person.id } });
      expect(after.lastAccreditationDate?.toISOString().slice(0, 10)).toBe('2024-03-20');
      expect(evaluations.requests).toEqual([{ personId: person.id, reason: 'roster-import' }]);
    });

    it('checks each row under the rule set the organization uses for the person’s category', async () => {
      const org = await newOrganization();
      reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
      expect(await organizations.assignRuleSet(org, 'seed-actions', 'DOCTOR', ACTOR)).toEqual({ ok: true });
      const report = reportOf(
        await credits.import(
          org.id,
          table('Табельный номер;Вид;Часы;Дата\nT-1;ПК;36;10.02.2025\nT-2;ПК;36;10.02.2026\nT-2;online-event;1;10.02.2026'),
          ACTOR,
        ),
      );
      expect(report).toMatchObject({ created: 2, rejected: [{ row: 3, reasons: ['unknown-type'] }] });
    });
  });

  describe('invites', () => {
    it('issues one-time codes stored only as hashes, replaces older ones, and revokes', async () => {
      const org = await newOrganization();
      reportOf(await roster.import(org.id, table(ROSTER), ACTOR));
      const first = await invites.issue(org.id, { botUsername: '@nmo_test_bot' }, ACTOR);
      expect(first.invites.map((i) => i.externalId)).toEqual(['T-1', 'T-2']);
      const invite = first.invites[0];
      expect(invite.link).toBe(`https://t.me/nmo_test_bot?start=${invite.code}`);
      expect(invite.expiresAt).toEqual(new Date('2026-12-25T09:00:00Z'));
      const stored = await db.inviteCode.findMany({ where: { organizationId: org.id } });
      expect(stored.map((s) => s.codeHash).sort()).toEqual(
        first.invites.map((i) => inviteCodeHash(cipher, normaliseInviteCode(i.code)!)).sort(),
      );
      expect(JSON.stringify(stored)).not.toContain(invite.code.replace('-', ''));

      const second = await invites.issue(org.id, { botUsername: 'nmo_test_bot', externalIds: ['T-1', 'T-404'], validForDays: 7 }, ACTOR);
      expect(second).toMatchObject({ notFound: ['T-404'], alreadyLinked: [] });
      const forT1 = await db.inviteCode.findMany({
        where: { rosterEntry: { externalId: 'T-1', organizationId: org.id } },
        orderBy: { createdAt: 'asc' },
      });
      const active = forT1.filter((code) => code.expiresAt > clock.now());
      expect(active).toHaveLength(1);
      expect(active[0].codeHash).toBe(inviteCodeHash(cipher, normaliseInviteCode(second.invites[0].code)!));

      expect(await invites.revoke(org.id, undefined, ACTOR)).toEqual({ revoked: 2 });
      expect(await db.inviteCode.count({ where: { organizationId: org.id, expiresAt: { gt: clock.now() } } })).toBe(0);
    });
  });
});
