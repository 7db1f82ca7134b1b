import type { SupportTicket } from '../../generated/prisma/client';
import { prismaRows } from '../shared/prisma-rows';

/** A support ticket read in SQL as Prisma's client gives it (see prisma-rows.ts). */
export const supportTicketRows = prismaRows<SupportTicket>({
  id: 'text',
  number: 'plain',
  personId: 'text',
  status: 'text',
  topicId: 'plain',
  openedAt: 'timestamp',
  firstResponseAt: 'timestamp',
  escalatedAt: 'timestamp',
  closedAt: 'timestamp',
  closedBy: 'plain',
  rating: 'plain',
  ratingComment: 'plain',
});
