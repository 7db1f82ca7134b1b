import type { StaffCategory } from '../generated/prisma/client';
import { inviteCodeHash, normaliseInviteCode } from '../core/linking/invite-codes';
import type { PersonalDataCipher } from '../core/people/personal-data';
import { RuleSetRepository } from '../core/rules/rule-set.repository';
import type { Database } from '../core/shared/database';
import { dbDateOf } from '../core/shared/local-date';

/**
 * The demo organization: a small hospital with a staff roster and one invite code per person, so a
 * newcomer can walk the whole linking journey. Idempotent: running it again changes nothing.
 * The codes are fixed (and printed) because this organization exists only for demonstrations;
 * real organizations get random codes (`generateInviteCode`).
 */
export const DEMO_ORGANIZATION = {
  code: 'DEMO',
  name: 'ГБУЗ «Городская клиническая больница № 1» (демо)',
  contacts: 'Отдел кадров: +7 495 000-00-00, hr@demo-hospital.example',
};

export interface DemoStaff {
  externalId: string;
  fullName: string;
  category: StaffCategory;
  specialty: string;
  lastAccreditationDate: string;
  /** The unit (отделение) HR lists them in: the education department's table filters by it. */
  department: string;
  inviteCode: string;
  /** ADMIN: the education department's person, who manages events, codes, announcements and reports. */
  role?: 'ADMIN';
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  {
    externalId: 'T-0001',
    fullName: 'Иванова Мария Петровна',
    category: 'NURSE',
    specialty: 'Сестринское дело',
    lastAccreditationDate: '2023-03-15',
    department: 'Кардиология',
    inviteCode: 'MARY-2345',
  },
  {
    externalId: 'T-0002',
    fullName: 'Петров Алексей Сергеевич',
    category: 'DOCTOR',
    specialty: 'Терапия',
    lastAccreditationDate: '2022-06-01',
    department: 'Терапия',
    inviteCode: 'PETR-3456',
  },
  {
    externalId: 'T-0003',
    fullName: 'Сидорова Анна Викторовна',
    category: 'PHARMACIST',
    specialty: 'Фармация',
    lastAccreditationDate: '2024-09-10',
    department: 'Аптека',
    inviteCode: 'ANNA-4567',
  },
  {
    externalId: 'T-0004',
    fullName: 'Smith John',
    category: 'LAB_TECHNICIAN',
    specialty: 'Laboratory diagnostics',
    lastAccreditationDate: '2025-01-20',
    department: 'Клинико-диагностическая лаборатория',
    inviteCode: 'SMTH-5678',
  },
  {
    externalId: 'T-0005',
    fullName: 'Смирнова Ольга Ивановна',
    category: 'ADMINISTRATOR',
    specialty: 'Отдел обучения',
    lastAccreditationDate: '2024-02-01',
    department: 'Отдел обучения',
    inviteCode: 'ADMN-6789',
    role: 'ADMIN',
  },
  {
    // Linked by `npm run demo` to the demo's second Telegram user, so the admin cabinet opens at once.
    externalId: 'T-0006',
    fullName: 'Кузнецова Елена Викторовна',
    category: 'ADMINISTRATOR',
    specialty: 'Отдел обучения',
    lastAccreditationDate: '2024-05-20',
    department: 'Отдел обучения',
    inviteCode: 'KUZN-7892',
    role: 'ADMIN',
  },
];

const INVITE_VALIDITY_DAYS = 365;

export async function seedDemo(
  db: Database,
  cipher: PersonalDataCipher,
  now = new Date(),
): Promise<{ organizationId: string; staff: DemoStaff[] }> {
  await new RuleSetRepository(db).installShipped();
  const organization = await db.organization.upsert({
    where: { code: DEMO_ORGANIZATION.code },
    create: DEMO_ORGANIZATION,
    update: {},
  });
  for (const member of DEMO_STAFF) {
    const roster = await db.rosterEntry.upsert({
      where: { organizationId_externalId: { organizationId: organization.id, externalId: member.externalId } },
      create: {
        organizationId: organization.id,
        externalId: member.externalId,
        fullName: member.fullName,
        category: member.category,
        specialty: member.specialty,
        department: member.department,
        lastAccreditationDate: dbDateOf(member.lastAccreditationDate),
        role: member.role ?? 'MEMBER',
      },
      update: {},
    });
    const codeHash = inviteCodeHash(cipher, normaliseInviteCode(member.inviteCode)!);
    await db.inviteCode.upsert({
      where: { codeHash },
      create: {
        organizationId: organization.id,
        rosterEntryId: roster.id,
        codeHash,
        expiresAt: new Date(now.getTime() + INVITE_VALIDITY_DAYS * 86_400_000),
      },
      update: {},
    });
  }
  return { organizationId: organization.id, staff: [...DEMO_STAFF] };
}
