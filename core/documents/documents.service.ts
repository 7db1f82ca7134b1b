import { createHash } from 'node:crypto';
import { Prisma, type Document, type DocumentKind, type LinkSubject, type Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Clock } from '../shared/clock';
import type { Database, Executor } from '../shared/database';
import { detectMediaType } from './detect';
import { type DocumentStorage, storageKeyOf } from './document-storage';
import { stripControlCharacters } from '../shared/text';

export const DOCUMENT_KINDS = ['CERTIFICATE', 'DIPLOMA', 'REPORT', 'IDENTITY', 'OTHER'] as const satisfies readonly DocumentKind[];
export const LINK_SUBJECTS = [
  'CREDIT_ENTRY',
  'APPLICATION',
  'DISPUTE',
  'APPEAL',
  'PORTFOLIO_ITEM',
] as const satisfies readonly LinkSubject[];

/** Telegram's cloud Bot API serves files up to 20 MB through getFile; larger ones need a local Bot API server. */
export const DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

export type DocumentRefusalReason = 'type-not-allowed' | 'too-large' | 'empty' | 'not-found' | 'subject-not-found';
/** A reason people can act on (locales: `documents.refused.<reason>`), with the numbers the sentence needs. */
export type DocumentRefusal = { ok: false; reason: DocumentRefusalReason; params?: Record<string, number> };

export interface StoreInput {
  bytes: Buffer;
  originalName?: string;
  telegramFileUniqueId?: string;
  /** Asked after the upload when not known; OTHER until then. */
  kind?: DocumentKind;
}

export type StoreOutcome = { ok: true; document: Document; duplicate: boolean } | DocumentRefusal;
export type AttachOutcome = { ok: true; document: Document; alreadyAttached: boolean } | DocumentRefusal;
export type KindOutcome = { ok: true; document: Document } | DocumentRefusal;

export interface Subject {
  type: LinkSubject;
  id: string;
}

/** A document as listed: how many subjects it is attached to, and how often the same file came again. */
export interface ListedDocument {
  document: Document;
  links: number;
  duplicateUploads: number;
}

export interface DocumentsOptions {
  maxBytes?: number;
  /** Runs after a new link: an application re-checks its required documents and may move on by itself (R-APPS). */
  afterAttach?: (person: Pick<Person, 'id'>, subject: Subject) => Promise<unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Documents of one person (R-DOCS): type checked by content, size limited, SHA-256 kept, the same file
 * recognised when it comes again, attached to the person's own records only. Another person's document
 * is answered exactly like a missing one.
 */
export class DocumentsService {
  readonly maxBytes: number;
  private readonly afterAttach?: DocumentsOptions['afterAttach'];

  constructor(
    private readonly db: Database,
    private readonly storage: DocumentStorage,
    private readonly clock: Clock,
    options: DocumentsOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_DOCUMENT_MAX_BYTES;
    this.afterAttach = options.afterAttach;
  }

  /** Checked before downloading, from the size Telegram reports. */
  tooLarge(sizeBytes: number): DocumentRefusal | null {
    return sizeBytes > this.maxBytes
      ? { ok: false, reason: 'too-large', params: { limitMb: Math.floor(this.maxBytes / (1024 * 1024)) } }
      : null;
  }

  async store(person: Pick<Person, 'id'>, input: StoreInput): Promise<StoreOutcome> {
    const { bytes } = input;
    if (bytes.length === 0) return { ok: false, reason: 'empty' };
    const tooLarge = this.tooLarge(bytes.length);
    if (tooLarge) return tooLarge;
    const mediaType = detectMediaType(bytes);
    if (!mediaType) return { ok: false, reason: 'type-not-allowed' };
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    const existing = await this.db.document.findUnique({ where: { personId_sha256: { personId: person.id, sha256 } } });
    if (existing && !existing.deletedAt) {
      await recordAudit(this.db, {
        actorType: 'person',
        actorId: person.id,
        action: 'document.duplicate',
        subjectType: 'Document',
        subjectId: existing.id,
      });
      return { ok: true, document: existing, duplicate: true };
    }

    const storageKey = storageKeyOf(sha256);
    // Content-addressed: the same bytes of another person may already be stored and must then survive a failure here.
    const storedBefore = await this.storage.exists(storageKey);
    if (!storedBefore) await this.storage.put(storageKey, bytes);
    try {
      const document = await this.db.$transaction(async (tx) => {
        const data = {
          kind: input.kind ?? 'OTHER',
          mediaType,
          sizeBytes: bytes.length,
          storageKey,
          // File names come from people's devices: a U+0000 in one would be refused by PostgreSQL (22021).
          originalName: input.originalName === undefined ? null : stripControlCharacters(input.originalName).slice(0, 255),
          telegramFileUniqueId: input.telegramFileUniqueId ?? null,
        } as const;
        // A document deleted earlier comes back as the same row (the pair person + sha256 is unique).
        const row = existing
          ? await tx.document.update({ where: { id: existing.id }, data: { ...data, deletedAt: null, createdAt: this.clock.now() } })
          : await tx.document.create({ data: { ...data, personId: person.id, sha256, createdAt: this.clock.now() } });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'document.store',
          subjectType: 'Document',
          subjectId: row.id,
          after: { kind: row.kind, mediaType, sizeBytes: row.sizeBytes, sha256 },
        });
        return row;
      });
      return { ok: true, document, duplicate: false };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        // The same file arrived twice at once: the other upload's row stands.
        const winner = await this.db.document.findUnique({ where: { personId_sha256: { personId: person.id, sha256 } } });
        if (winner) return { ok: true, document: winner, duplicate: true };
      }
      if (!storedBefore && !(await this.referenced(this.db, storageKey))) await this.storage.delete(storageKey);
      throw error;
    }
  }

  private async referenced(db: Executor, storageKey: string): Promise<boolean> {
    return (await db.document.count({ where: { storageKey } })) > 0;
  }

  /** The person's documents, newest first. */
  async list(person: Pick<Person, 'id'>, take = 20): Promise<ListedDocument[]> {
    const documents = await this.db.document.findMany({
      where: { personId: person.id, deletedAt: null },
      orderBy: { createdAt: 'desc' },
      take,
      include: { _count: { select: { links: true } } },
    });
    if (documents.length === 0) return [];
    const duplicates = await this.db.auditLog.groupBy({
      by: ['subjectId'],
      where: { action: 'document.duplicate', subjectType: 'Document', subjectId: { in: documents.map((d) => d.id) } },
      _count: { _all: true },
    });
    const counts = new Map(duplicates.map((d) => [d.subjectId, d._count._all]));
    return documents.map(({ _count, ...document }) => ({ document, links: _count.links, duplicateUploads: counts.get(document.id) ?? 0 }));
  }

  /** The person's own document; someone else's, a deleted one and a malformed id all read as missing. */
  async get(person: Pick<Person, 'id'>, id: string): Promise<Document | null> {
    if (!UUID.test(id)) return null;
    return this.db.document.findFirst({ where: { id, personId: person.id, deletedAt: null } });
  }

  /** The stored bytes of the person's own document. */
  async content(person: Pick<Person, 'id'>, id: string): Promise<Buffer | null> {
    const document = await this.get(person, id);
    return document ? this.storage.get(document.storageKey) : null;
  }

  async setKind(person: Pick<Person, 'id'>, id: string, kind: DocumentKind): Promise<KindOutcome> {
    const document = await this.get(person, id);
    if (!document) return { ok: false, reason: 'not-found' };
    if (document.kind === kind) return { ok: true, document };
    const updated = await this.db.$transaction(async (tx) => {
      const row = await tx.document.update({ where: { id }, data: { kind } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'document.kind',
        subjectType: 'Document',
        subjectId: id,
        before: { kind: document.kind },
        after: { kind },
      });
      return row;
    });
    return { ok: true, document: updated };
  }

  /** Attaches the person's document to one of their own records; a credit entry also points at it. */
  async attach(person: Pick<Person, 'id'>, documentId: string, subject: Subject): Promise<AttachOutcome> {
    const document = await this.get(person, documentId);
    if (!document) return { ok: false, reason: 'not-found' };
    if (!(await this.ownsSubject(person.id, subject))) return { ok: false, reason: 'subject-not-found' };
    const key = { documentId_subjectType_subjectId: { documentId, subjectType: subject.type, subjectId: subject.id } };
    const alreadyAttached = (await this.db.documentLink.findUnique({ where: key })) !== null;
    await this.db.$transaction(async (tx) => {
      await tx.documentLink.upsert({ where: key, create: { documentId, subjectType: subject.type, subjectId: subject.id }, update: {} });
      if (subject.type === 'CREDIT_ENTRY') await tx.creditEntry.update({ where: { id: subject.id }, data: { documentId } });
      if (!alreadyAttached) {
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'document.attach',
          subjectType: 'Document',
          subjectId: documentId,
          after: subject,
        });
      }
    });
    if (!alreadyAttached) await this.afterAttach?.(person, subject);
    return { ok: true, document, alreadyAttached };
  }

  /**
   * The documents attached to some of the person's own records of one kind, by record id, oldest link
   * first: for lists that show each record with its documents. Records of others never match (the
   * documents must be the person's own).
   */
  async attachedTo(person: Pick<Person, 'id'>, subjectType: LinkSubject, subjectIds: readonly string[]): Promise<Map<string, Document[]>> {
    const ids = subjectIds.filter((id) => UUID.test(id));
    const byId = new Map<string, Document[]>();
    if (ids.length === 0) return byId;
    const links = await this.db.documentLink.findMany({
      where: { subjectType, subjectId: { in: ids }, document: { personId: person.id, deletedAt: null } },
      include: { document: true },
      orderBy: { createdAt: 'asc' },
    });
    for (const link of links) byId.set(link.subjectId, [...(byId.get(link.subjectId) ?? []), link.document]);
    return byId;
  }

  /** The subjects a document is attached to. */
  async linksOf(person: Pick<Person, 'id'>, documentId: string): Promise<Subject[]> {
    const document = await this.get(person, documentId);
    if (!document) return [];
    const links = await this.db.documentLink.findMany({ where: { documentId }, orderBy: { createdAt: 'asc' } });
    return links.map((l) => ({ type: l.subjectType, id: l.subjectId }));
  }

  private async ownsSubject(personId: string, subject: Subject): Promise<boolean> {
    if (!UUID.test(subject.id)) return false;
    const where = { id: subject.id, personId };
    switch (subject.type) {
      case 'CREDIT_ENTRY':
        return (await this.db.creditEntry.count({ where: { ...where, deletedAt: null } })) > 0;
      case 'APPLICATION':
        return (await this.db.application.count({ where })) > 0;
      case 'DISPUTE':
        return (await this.db.dispute.count({ where })) > 0;
      case 'APPEAL':
        return (await this.db.appeal.count({ where })) > 0;
      case 'PORTFOLIO_ITEM':
        return (await this.db.portfolioItem.count({ where: { id: subject.id, portfolio: { personId } } })) > 0;
    }
  }
}
