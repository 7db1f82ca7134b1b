import type { Consent, ConsentPurpose, Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { consentState, CONSENT_PURPOSES, type ConsentState } from './consents';
import { CONSENT_POLICY_VERSION } from './policy';

/** Personal fields a person can hold; the summary names those present (locales: `privacy-center.field.<name>`). */
export const PERSONAL_FIELDS = [
  'fullName',
  'phone',
  'snils',
  'inn',
  'category',
  'specialty',
  'organization',
  'lastAccreditationDate',
  'telegram',
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Records kept about a person, counted (locales: `privacy-center.count.<name>`). */
export const RECORD_KINDS = [
  'creditEntries',
  'documents',
  'applications',
  'disputes',
  'appeals',
  'planItems',
  'portfolios',
  'supportTickets',
  'notifications',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface DataSummary {
  fields: PersonalField[];
  counts: Record<RecordKind, number>;
  consents: Array<{ purpose: ConsentPurpose } & ConsentState>;
}

/** Purposes a person gives and withdraws in /privacy; personal-data processing is withdrawn by deletion. */
export type TogglablePurpose = Exclude<ConsentPurpose, 'PERSONAL_DATA_PROCESSING'>;

export function isTogglablePurpose(purpose: string): purpose is TogglablePurpose {
  return purpose === 'NOTIFICATIONS' || purpose === 'SUPPORT_TRANSFER';
}

/**
 * What is stored about me and my consents (152-ФЗ ст. 9, 14): the summary is computed from the
 * database, never written by hand, so it cannot drift from what is actually kept. Each consent is a
 * record with the policy version and time; a withdrawal is a time on that record, journaled.
 */
export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async consents(personId: string): Promise<Consent[]> {
    return this.db.consent.findMany({ where: { personId }, orderBy: { givenAt: 'asc' } });
  }

  async summary(person: Person): Promise<DataSummary> {
    const where = { personId: person.id };
    const [
      identities,
      creditEntries,
      documents,
      applications,
      disputes,
      appeals,
      planItems,
      portfolios,
      supportTickets,
      notifications,
      consents,
    ] = await Promise.all([
      this.db.telegramIdentity.count({ where }),
      this.db.creditEntry.count({ where: { ...where, deletedAt: null } }),
      this.db.document.count({ where: { ...where, deletedAt: null } }),
      this.db.application.count({ where }),
      this.db.dispute.count({ where }),
      this.db.appeal.count({ where }),
      this.db.planItem.count({ where }),
      this.db.portfolio.count({ where }),
      this.db.supportTicket.count({ where }),
      this.db.notification.count({ where }),
      this.consents(person.id),
    ]);
    const present: Record<PersonalField, boolean> = {
      fullName: person.fullName !== null,
      phone: person.phoneEnc !== null,
      snils: person.snilsEnc !== null,
      inn: person.innEnc !== null,
      category: person.category !== null,
      specialty: person.specialty !== null,
      organization: person.organizationId !== null,
      lastAccreditationDate: person.lastAccreditationDate !== null,
      telegram: identities > 0,
    };
    return {
      fields: PERSONAL_FIELDS.filter((f) => present[f]),
      counts: { creditEntries, documents, applications, disputes, appeals, planItems, portfolios, supportTickets, notifications },
      consents: CONSENT_PURPOSES.map((purpose) => ({ purpose, ...consentState(consents, purpose) })),
    };
  }

  /** Gives a purpose anew (a new record with today's policy version); already given changes nothing. */
  async give(person: Person, purpose: TogglablePurpose): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const current = consentState(await tx.consent.findMany({ where: { personId: person.id, purpose } }), purpose);
      if (current.state === 'given') return;
      await tx.consent.create({ data: { personId: person.id, purpose, policyVersion: CONSENT_POLICY_VERSION, givenAt: this.clock.now() } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'consent.given',
        subjectType: 'person',
        subjectId: person.id,
        after: { purpose, policyVersion: CONSENT_POLICY_VERSION },
      });
    });
  }

  /**
   * Withdraws a purpose. With no record yet (NOTIFICATIONS covered by the onboarding consent), a record
   * given and withdrawn at once keeps the withdrawal visible; pending notices stop at send time.
   */
  async withdraw(person: Person, purpose: TogglablePurpose): Promise<void> {
    const now = this.clock.now();
    await this.db.$transaction(async (tx) => {
      const current = consentState(await tx.consent.findMany({ where: { personId: person.id, purpose } }), purpose);
      if (current.state === 'withdrawn') return;
      if (current.state === 'given') await tx.consent.update({ where: { id: current.consent.id }, data: { withdrawnAt: now } });
      else
        await tx.consent.create({
          data: { personId: person.id, purpose, policyVersion: CONSENT_POLICY_VERSION, givenAt: now, withdrawnAt: now },
        });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'consent.withdrawn',
        subjectType: 'person',
        subjectId: person.id,
        after: { purpose },
      });
    });
  }
}
