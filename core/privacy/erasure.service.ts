import { Prisma } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { DocumentStorage } from '../documents/document-storage';
import type { PersonalDataCipher } from '../people/personal-data';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { redactJson } from './redact';

/** What a DestructionRecord lists: counts only, never a value. */
export interface Destroyed {
  personalFields: string[];
  telegramIdentities: number;
  documents: number;
  documentFiles: number;
  creditEntriesDeleted: number;
  creditEntriesKeptAnonymous: number;
  applicationsKeptAnonymous: number;
  disputes: number;
  appeals: number;
  planItems: number;
  portfolios: number;
  supportTickets: number;
  notifications: number;
  consentsWithdrawn: number;
  /** Seats of events not started yet, given back; past sign-ups stay anonymous for the organization's reports. */
  eventSignUpsCancelled: number;
  /** Attendance claims stay (they back verified credit entries), anonymous like them. */
  attendanceClaimsKeptAnonymous: number;
  adminKeysDeleted: number;
  rosterEntryAnonymized: boolean;
  journalEntriesRedacted: number;
}

export type ErasureOutcome = { ok: true; destroyed: Destroyed } | { ok: false; reason: 'not-found' };

/** Entries an organization or a reviewer made, or that were verified, stay for the accreditation record. */
const KEPT_ENTRY = { OR: [{ source: { not: 'SELF' as const } }, { verification: 'VERIFIED' as const }] };

/**
 * Deletion on request (152-ФЗ ст. 21): personal values are destroyed, records the law keeps (credit
 * entries an organization or reviewer confirmed, applications) stay attached to an anonymous Person row
 * with no name, phone or Telegram link, and a DestructionRecord names what went, under a keyed hash.
 * The person writing again is a stranger: no TelegramIdentity leads to the old row. Only the count of
 * wrong codes their Telegram account typed lately stays (`WrongCodeAttempt`, a day at most, naming no
 * person): erasing it would hand a code guesser a fresh set of tries with every /delete_me.
 */
export class ErasureService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly storage: DocumentStorage | null,
    private readonly clock: Clock,
  ) {}

  /** Anonymous, stable reference of a person in destruction records; changes with the key (see docs/key-rotation.md). */
  personRef(personId: string): string {
    return this.cipher.lookupHash(`person:${personId}`);
  }

  async erase(personId: string, requestedAt: Date): Promise<ErasureOutcome> {
    const person = await this.db.person.findUnique({
      where: { id: personId },
      include: { telegramIdentities: true, documents: true, rosterEntry: true },
    });
    if (!person || person.deletedAt) return { ok: false, reason: 'not-found' };

    const secrets = [
      person.fullName,
      person.phoneEnc && this.cipher.decrypt(person.phoneEnc),
      person.snilsEnc && this.cipher.decrypt(person.snilsEnc),
      person.innEnc && this.cipher.decrypt(person.innEnc),
      ...person.telegramIdentities.flatMap((i) => [i.telegramUserId.toString(), i.chatId.toString(), i.username, i.firstName]),
    ].filter((s): s is string => typeof s === 'string' && s.length >= 3);
    const personalFields = (['fullName', 'specialty', 'phoneEnc', 'snilsEnc', 'innEnc'] as const).filter((f) => person[f] !== null);
    const storageKeys = person.documents.map((d) => d.storageKey);

    const destroyed = await this.db.$transaction(async (tx) => {
      const where = { personId };
      const now = this.clock.now();
      const counts = {
        telegramIdentities: (await tx.telegramIdentity.deleteMany({ where })).count,
        notifications: (await tx.notification.deleteMany({ where })).count,
        supportTickets: (await tx.supportTicket.deleteMany({ where })).count,
        appeals: (await tx.appeal.deleteMany({ where })).count,
        disputes: (await tx.dispute.deleteMany({ where })).count,
        planItems: (await tx.planItem.deleteMany({ where })).count,
        portfolios: (await tx.portfolio.deleteMany({ where })).count,
        creditEntriesDeleted: (await tx.creditEntry.deleteMany({ where: { personId, NOT: KEPT_ENTRY } })).count,
        creditEntriesKeptAnonymous: (await tx.creditEntry.updateMany({ where: { personId }, data: { title: null, documentId: null } }))
          .count,
        documents: (await tx.document.deleteMany({ where })).count,
        applicationsKeptAnonymous: await tx.application.count({ where }),
        consentsWithdrawn: (await tx.consent.updateMany({ where: { personId, withdrawnAt: null }, data: { withdrawnAt: now } })).count,
        eventSignUpsCancelled: (
          await tx.eventRegistration.updateMany({
            where: { personId, cancelledAt: null, event: { startsAt: { gt: now } } },
            data: { cancelledAt: now },
          })
        ).count,
        attendanceClaimsKeptAnonymous: await tx.attendanceClaim.count({ where }),
        adminKeysDeleted: (await tx.adminApiKey.deleteMany({ where })).count,
      };
      await tx.statusSnapshot.deleteMany({ where });
      if (person.rosterEntry) {
        // The roster row is the organization's record of this employee; it stays (its credit imports hang
        // off it) but no longer names or identifies anyone until the organization imports it again.
        await tx.rosterEntry.update({
          where: { id: person.rosterEntry.id },
          data: { personId: null, linkedAt: null, fullName: '', specialty: null, phoneHash: null, snilsHash: null },
        });
      }
      await tx.person.update({
        where: { id: personId },
        data: {
          fullName: null,
          specialty: null,
          phoneEnc: null,
          phoneHash: null,
          snilsEnc: null,
          snilsHash: null,
          innEnc: null,
          innHash: null,
          onboardingDraft: {},
          mutedKinds: [],
          orgRole: 'MEMBER',
          deletedAt: now,
        },
      });
      const journalEntriesRedacted = await redactJournal(tx, secrets);
      const result: Destroyed = {
        personalFields,
        ...counts,
        documentFiles: 0,
        rosterEntryAnonymized: person.rosterEntry !== null,
        journalEntriesRedacted,
      };
      await recordAudit(tx, {
        actorType: 'person',
        actorId: null,
        action: 'person.erased',
        subjectType: 'person',
        subjectId: personId,
        after: result,
      });
      return result;
    });

    // Files go after the rows are gone (a failed transaction leaves nothing half deleted); content-addressed
    // files another person also uploaded stay for them.
    if (this.storage) {
      for (const key of new Set(storageKeys)) {
        if ((await this.db.document.count({ where: { storageKey: key } })) > 0) continue;
        await this.storage.delete(key);
        destroyed.documentFiles += 1;
      }
    }
    await this.db.destructionRecord.create({
      data: {
        personRef: this.personRef(personId),
        destroyed: destroyed as unknown as Prisma.InputJsonObject,
        requestedAt,
        completedAt: this.clock.now(),
      },
    });
    return { ok: true, destroyed };
  }
}

/** Journal rows and payloads that mention a destroyed value keep their shape, without the value. */
async function redactJournal(tx: Transaction, secrets: readonly string[]): Promise<number> {
  if (secrets.length === 0) return 0;
  const patterns = secrets.map((s) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM "AuditLog"
    WHERE "before"::text ILIKE ANY (${patterns}::text[]) OR "after"::text ILIKE ANY (${patterns}::text[])`;
  for (const { id } of rows) {
    const row = await tx.auditLog.findUniqueOrThrow({ where: { id } });
    await tx.auditLog.update({
      where: { id },
      data: {
        before: row.before === null ? Prisma.DbNull : (redactJson(row.before, secrets) as Prisma.InputJsonValue),
        after: row.after === null ? Prisma.DbNull : (redactJson(row.after, secrets) as Prisma.InputJsonValue),
      },
    });
  }
  const payloads = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM "Notification" WHERE payload::text ILIKE ANY (${patterns}::text[])`;
  for (const { id } of payloads) {
    const row = await tx.notification.findUniqueOrThrow({ where: { id } });
    await tx.notification.update({ where: { id }, data: { payload: redactJson(row.payload, secrets) as Prisma.InputJsonValue } });
  }
  return rows.length;
}
