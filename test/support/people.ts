import type { Person, Prisma } from '../../generated/prisma/client';
import { DEMO_ORGANIZATION } from '../../prisma/seed';
import type { RunningSystem } from './system';

/**
 * A person already linked to the demo organization, reachable in their private chat: for journeys that
 * start after registration (the linking journey itself is tested step by step elsewhere).
 */
export async function createLinkedPerson(
  system: Pick<RunningSystem, 'db'>,
  telegramUserId: number,
  fields: Partial<
    Pick<Prisma.PersonUncheckedCreateInput, 'fullName' | 'language' | 'category' | 'lastAccreditationDate' | 'timeZone' | 'orgRole'>
  > & {
    /** Another organization than the demo one (it must exist). */
    organizationCode?: string;
    /** Also a roster entry with this табельный номер, linked to the person (what admin role grants look up). */
    externalId?: string;
  } = {},
): Promise<Person> {
  const { organizationCode, externalId, ...personFields } = fields;
  const organization = await system.db.organization.findUniqueOrThrow({ where: { code: organizationCode ?? DEMO_ORGANIZATION.code } });
  const person = await system.db.person.create({
    data: {
      fullName: 'Иванова Мария Петровна',
      language: 'ru',
      ...personFields,
      onboardingStep: 'LINKED',
      organizationId: organization.id,
      telegramIdentities: { create: { telegramUserId: BigInt(telegramUserId), chatId: BigInt(telegramUserId) } },
    },
  });
  if (externalId) {
    await system.db.rosterEntry.create({
      data: {
        organizationId: organization.id,
        externalId,
        fullName: person.fullName ?? externalId,
        category: person.category ?? 'NURSE',
        personId: person.id,
        linkedAt: new Date(),
      },
    });
  }
  return person;
}

/** A linked person holding the ADMIN role of an organization (the demo one unless named). */
export async function createOrgAdmin(
  system: Pick<RunningSystem, 'db'>,
  telegramUserId: number,
  fields: Parameters<typeof createLinkedPerson>[2] = {},
): Promise<Person> {
  return createLinkedPerson(system, telegramUserId, {
    fullName: 'Смирнова Ольга Ивановна',
    category: 'ADMINISTRATOR',
    externalId: `ADM-${telegramUserId}`,
    ...fields,
    orgRole: 'ADMIN',
  });
}
