import type { Prisma } from '../../generated/prisma/client';
import type { Executor } from '../shared/database';

export type ActorType = 'person' | 'agent' | 'admin' | 'system';

export interface AuditRecord {
  actorType: ActorType;
  actorId?: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Who changed what, when, from what to what. Written in the same transaction as the change itself. */
export async function recordAudit(db: Executor, record: AuditRecord): Promise<void> {
  await db.auditLog.create({
    data: {
      actorType: record.actorType,
      actorId: record.actorId ?? null,
      action: record.action,
      subjectType: record.subjectType,
      subjectId: record.subjectId ?? null,
      before: toJson(record.before),
      after: toJson(record.after),
    },
  });
}

/** Dates, bigints and undefined made JSON-safe so the journal stores exactly what a reader will see. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}
