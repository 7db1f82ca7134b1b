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
  fields: Partial<Pick<Prisma.PersonUncheckedCreateInput, 'fullName' | 'language' | 'category' | 'lastAccreditationDate' | 'timeZone'>> = {},
): Promise<Person> {
  const organization = await system.db.organization.findUniqueOrThrow({ where: { code: DEMO_ORGANIZATION.code } });
  return system.db.person.create({
    data: {
      fullName: 'Иванова Мария Петровна',
      language: 'ru',
      ...fields,
      onboardingStep: 'LINKED',
      organizationId: organization.id,
      telegramIdentities: { create: { telegramUserId: BigInt(telegramUserId), chatId: BigInt(telegramUserId) } },
    },
  });
}
