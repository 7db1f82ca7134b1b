import type { CreditEntry } from '../../generated/prisma/client';
import { prismaRows } from '../shared/prisma-rows';

/** A credit entry read in SQL as Prisma's client gives it (see prisma-rows.ts). */
export const creditEntryRows = prismaRows<CreditEntry>({
  id: 'text',
  personId: 'text',
  rosterEntryId: 'text',
  creditTypeCode: 'plain',
  quantity: 'plain',
  occurredOn: 'date',
  title: 'plain',
  source: 'text',
  verification: 'text',
  externalRef: 'plain',
  documentId: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  deletedAt: 'timestamp',
});
