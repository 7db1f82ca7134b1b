import { recordAudit } from '../audit/audit-journal';
import type { ImportActor } from '../organizations/import-report';
import type { Database } from '../shared/database';

/** One read of an organization's staff data: what was looked at, through which channel, with which details. */
export interface OrganizationRead {
  actor: ImportActor;
  organizationId: string;
  /** What was read, e.g. 'events', 'event-people', 'announcements' (the compliance report journals itself). */
  view: string;
  channel: string;
  details?: Record<string, unknown>;
}

/**
 * The education department reads people's names, sign-ups and attendance: every such read is journaled,
 * as the compliance and program reports journal theirs (R-ORG), so the organization can answer who saw what.
 */
export class OrganizationReadJournal {
  constructor(private readonly db: Database) {}

  async record(read: OrganizationRead): Promise<void> {
    await recordAudit(this.db, {
      actorType: read.actor.type,
      actorId: read.actor.id,
      action: `organization.${read.view}.read`,
      subjectType: 'organization',
      subjectId: read.organizationId,
      after: { channel: read.channel, ...read.details },
    });
  }
}
