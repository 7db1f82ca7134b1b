import type { DocumentStorage } from '../documents/document-storage';
import type { PersonalDataCipher } from '../people/personal-data';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { safeFileName } from '../shared/text';

export interface ExportFile {
  /** Path inside the archive, e.g. `documents/<id>-certificate.pdf`. */
  path: string;
  bytes: Buffer;
}

export interface PersonalDataExport {
  exportedAt: Date;
  /** Everything stored about the person, personal values decrypted (it is their own data). */
  data: Record<string, unknown>;
  files: ExportFile[];
}

/** Sealed columns and keyed hashes mean nothing to a reader: the decrypted values go out instead. */
const SEALED = new Set(['phoneEnc', 'phoneHash', 'snilsEnc', 'snilsHash', 'innEnc', 'innHash', 'codeHash']);

/** Bigints as strings, bytes and sealed columns left out: what JSON.stringify can carry faithfully. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !SEALED.has(k))
        .map(([k, v]) => [k, plain(v)])
        .filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

/** A file name safe in any archive tool: no folders, no control characters. */
function safeName(name: string): string {
  return safeFileName(name.replace(/[\\/]/g, '_'));
}

/**
 * The copy of my data (152-ФЗ ст. 14): every row about the person, with phone, СНИЛС and ИНН decrypted,
 * and the bytes of their documents when the storage still has them. Packaging (ZIP) is the caller's.
 */
export class PersonalDataExportService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly storage: DocumentStorage | null,
    private readonly clock: Clock,
  ) {}

  async export(personId: string): Promise<PersonalDataExport> {
    const person = await this.db.person.findUniqueOrThrow({
      where: { id: personId },
      include: {
        organization: { select: { code: true, name: true, contacts: true } },
        telegramIdentities: true,
        rosterEntry: {
          select: { externalId: true, fullName: true, category: true, specialty: true, lastAccreditationDate: true, linkedAt: true },
        },
        consents: { orderBy: { givenAt: 'asc' } },
        creditEntries: { orderBy: { occurredOn: 'asc' } },
        statusSnapshot: true,
        documents: { include: { links: true } },
        identityConfirmations: true,
        applications: { include: { transitions: { orderBy: { at: 'asc' } } } },
        disputes: true,
        appeals: true,
        planItems: true,
        portfolios: { include: { items: true } },
        supportTickets: { include: { messages: { where: { direction: { not: 'INTERNAL_NOTE' } }, orderBy: { createdAt: 'asc' } } } },
        notifications: { orderBy: { createdAt: 'asc' } },
        eventRegistrations: {
          include: { event: { select: { title: true, startsAt: true, endsAt: true, place: true, link: true, status: true } } },
          orderBy: { createdAt: 'asc' },
        },
        attendanceClaims: { include: { event: { select: { title: true, startsAt: true, zet: true } } }, orderBy: { claimedAt: 'asc' } },
        // Keys are listed without their hash: what they are, not what opens them.
        adminApiKeys: { select: { id: true, organizationId: true, label: true, createdAt: true, lastUsedAt: true, revokedAt: true } },
      },
    });
    // Wrong codes are counted per Telegram user (they outlive the person row on purpose): those of
    // this person's Telegram accounts are still data about them.
    const wrongCodeAttempts = await this.db.wrongCodeAttempt.findMany({
      where: { telegramUserId: { in: person.telegramIdentities.map((i) => i.telegramUserId) } },
      select: { kind: true, at: true },
      orderBy: { at: 'asc' },
    });
    const journal = await this.db.auditLog.findMany({
      where: { OR: [{ actorId: personId }, { subjectId: personId }] },
      orderBy: { at: 'asc' },
    });
    const open = (sealed: Uint8Array | null) => (sealed ? this.cipher.decrypt(sealed) : null);
    const { phoneEnc, snilsEnc, innEnc, ...rest } = person;
    const data = plain({ ...rest, phone: open(phoneEnc), snils: open(snilsEnc), inn: open(innEnc), wrongCodeAttempts, journal }) as Record<
      string,
      unknown
    >;

    const files: ExportFile[] = [];
    if (this.storage) {
      for (const document of person.documents.filter((d) => !d.deletedAt)) {
        const bytes = await this.storage.get(document.storageKey);
        if (bytes) files.push({ path: `documents/${document.id}-${safeName(document.originalName ?? document.sha256)}`, bytes });
      }
    }
    return { exportedAt: this.clock.now(), data, files };
  }
}
