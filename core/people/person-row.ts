import type { Person } from '../../generated/prisma/client';
import { prismaRows } from '../shared/prisma-rows';

/** A person read in SQL as Prisma's client gives it (see prisma-rows.ts). */
export const personRows = prismaRows<Person>({
  id: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  language: 'text',
  onboardingStep: 'text',
  onboardingDraft: 'plain',
  fullName: 'plain',
  category: 'text',
  specialty: 'plain',
  phoneEnc: 'bytes',
  phoneHash: 'plain',
  snilsEnc: 'bytes',
  snilsHash: 'plain',
  innEnc: 'bytes',
  innHash: 'plain',
  lastAccreditationDate: 'date',
  timeZone: 'plain',
  quietHoursStart: 'plain',
  quietHoursEnd: 'plain',
  mutedKinds: 'plain',
  unreachableSince: 'timestamp',
  deletedAt: 'timestamp',
  organizationId: 'text',
  orgRole: 'text',
});
