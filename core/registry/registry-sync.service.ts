import type { Prisma } from '../../generated/prisma/client';
import type { ApplicationsService } from '../applications/applications.service';
import type { CaseActor } from '../applications/actor';
import { moscowDateOf } from '../calendar/deadline';
import type { CreditImportService } from '../credits/credit-import.service';
import type { NotificationsService } from '../notifications/notifications.service';
import { type ImportReport, reportFor } from '../organizations/import-report';
import { describeFileProblem, type ImportTable, mapColumns, missingColumns } from '../organizations/import-table';
import { REMINDER_KIND } from '../reminders/reminder-kinds';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { checkStatusRow, STATUS_COLUMNS, type StatusChangeRow } from './application-status-rows';
import type { RegistryBatch, RegistryFileKind, RegistrySource } from './registry-source';

/** SyncRun.source of the hourly registry sync. */
export const REGISTRY_SYNC_SOURCE = 'registry';
/** R-SYNC: a sync late by more than this is logged and raised to support. */
export const SYNC_LATE_AFTER_MS = 2 * 60 * 60 * 1000;

const REGISTRY_ACTOR: CaseActor = { type: 'system', id: 'registry' };

export interface BatchResult {
  name: string;
  kind: RegistryFileKind;
  sha256: string;
  outcome: 'applied' | 'duplicate' | 'refused';
  report?: ImportReport;
  /** Why the whole file was refused (missing columns, unknown organization, unreadable). */
  problem?: string;
}

export interface SyncSummary {
  files: BatchResult[];
  /** Content hashes applied by this run: a file with one of them is never applied again. */
  sha256s: string[];
}

export type SyncRunOutcome = { ok: true; runId: string; summary: SyncSummary } | { ok: false; runId: string; error: string };

export type SyncLateness = { late: false } | { late: true; since: Date | null; lastOkRunId: string | null; raised: boolean };

/**
 * The hourly registry sync (R-SYNC): takes the source's batches, applies each once (by content hash),
 * status changes through ApplicationsService so people are told, credits through CreditImportService;
 * a bad row is reported and skipped, a bad file does not stop the others; every run is a SyncRun.
 */
export class RegistrySyncService {
  constructor(
    private readonly db: Database,
    private readonly source: RegistrySource,
    private readonly applications: ApplicationsService,
    private readonly credits: CreditImportService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly options: { supportChatId?: bigint } = {},
  ) {}

  async run(): Promise<SyncRunOutcome> {
    const run = await this.db.syncRun.create({ data: { source: REGISTRY_SYNC_SOURCE, startedAt: this.clock.now() } });
    try {
      const summary: SyncSummary = { files: [], sha256s: [] };
      for (const batch of await this.source.fetchChanges()) {
        const result = await this.applyBatch(batch, summary.sha256s);
        summary.files.push(result);
        if (result.outcome === 'applied') summary.sha256s.push(batch.sha256);
        await this.source.markProcessed(batch);
      }
      await this.db.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: this.clock.now(), ok: true, summary: summary as unknown as Prisma.InputJsonObject },
      });
      return { ok: true, runId: run.id, summary };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.db.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: this.clock.now(), ok: false, error: message.slice(0, 2000) },
      });
      return { ok: false, runId: run.id, error: message };
    }
  }

  /**
   * Checks the last successful run; when it is older than 2 hours, raises it once per outage to the
   * support group (the key names the last good run, so the next outage is raised again).
   */
  async checkLateness(): Promise<SyncLateness> {
    const now = this.clock.now();
    const lastOk = await this.db.syncRun.findFirst({ where: { source: REGISTRY_SYNC_SOURCE, ok: true }, orderBy: { finishedAt: 'desc' } });
    const first = lastOk
      ? null
      : await this.db.syncRun.findFirst({ where: { source: REGISTRY_SYNC_SOURCE }, orderBy: { startedAt: 'asc' } });
    const since = lastOk?.finishedAt ?? first?.startedAt ?? null;
    // No run at all yet: the first hourly firing has not come; nothing is late.
    if (!since || now.getTime() - since.getTime() <= SYNC_LATE_AFTER_MS) return { late: false };
    const lastOkRunId = lastOk?.id ?? null;
    let raised = false;
    if (this.options.supportChatId !== undefined) {
      const { created } = await this.notifications.schedule({
        chatId: this.options.supportChatId,
        kind: REMINDER_KIND.syncLate,
        subjectId: REGISTRY_SYNC_SOURCE,
        dueAt: now,
        payload: { source: REGISTRY_SYNC_SOURCE, since: since.toISOString(), neverSucceeded: lastOk === null },
        // Operators should learn of a stalled registry at night too: statuses people rely on are going stale.
        ignoreQuietHours: true,
        idempotencyKey: `${REMINDER_KIND.syncLate}:${REGISTRY_SYNC_SOURCE}:${lastOkRunId ?? 'never'}`,
      });
      raised = created;
    }
    return { late: true, since: lastOk?.finishedAt ?? null, lastOkRunId, raised };
  }

  private async applyBatch(batch: RegistryBatch, appliedThisRun: readonly string[]): Promise<BatchResult> {
    const base = { name: batch.name, kind: batch.kind, sha256: batch.sha256 };
    if (appliedThisRun.includes(batch.sha256) || (await this.appliedBefore(batch.sha256))) return { ...base, outcome: 'duplicate' };
    let table: ImportTable;
    try {
      table = await batch.read();
    } catch (error) {
      return { ...base, outcome: 'refused', problem: error instanceof Error ? error.message : String(error) };
    }
    if (batch.kind === 'credits') return this.applyCredits(batch, table, base);
    return this.applyStatuses(table, base);
  }

  private async appliedBefore(sha256: string): Promise<boolean> {
    const found = await this.db.syncRun.findFirst({
      where: { source: REGISTRY_SYNC_SOURCE, ok: true, summary: { path: ['sha256s'], array_contains: [sha256] } },
      select: { id: true },
    });
    return found !== null;
  }

  private async applyCredits(batch: RegistryBatch, table: ImportTable, base: Omit<BatchResult, 'outcome'>): Promise<BatchResult> {
    const organizationId = await this.organizationOf(batch.organizationHint);
    if (!organizationId)
      return { ...base, outcome: 'refused', problem: `organization-not-found: ${batch.organizationHint ?? '(none in the file name)'}` };
    const outcome = await this.credits.import(organizationId, table, { type: 'system', id: 'registry' });
    if (!outcome.ok) return { ...base, outcome: 'refused', problem: describeFileProblem(outcome.problem) };
    return { ...base, outcome: 'applied', report: outcome.report };
  }

  /** `DEMO-2026-11` names DEMO-2026-11, else DEMO-2026, else DEMO: the longest prefix that is an organization. */
  private async organizationOf(hint: string | undefined): Promise<string | null> {
    if (!hint) return null;
    const parts = hint.toUpperCase().split(/[-_ .]/);
    const candidates = parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
    const found = await this.db.organization.findMany({ where: { code: { in: candidates } }, select: { id: true, code: true } });
    for (const code of candidates) {
      const organization = found.find((o) => o.code === code);
      if (organization) return organization.id;
    }
    return null;
  }

  private async applyStatuses(table: ImportTable, base: Omit<BatchResult, 'outcome'>): Promise<BatchResult> {
    const mapped = mapColumns(table.headers, STATUS_COLUMNS);
    if (!mapped.ok) return { ...base, outcome: 'refused', problem: describeFileProblem(mapped.problem) };
    const missing = missingColumns(mapped.columns, STATUS_COLUMNS, ['externalRef', 'status', 'date']);
    if (missing.length > 0)
      return { ...base, outcome: 'refused', problem: describeFileProblem({ code: 'columns-missing', columns: missing }) };

    const report = reportFor(table);
    const changes: StatusChangeRow[] = [];
    for (const row of table.rows) {
      report.total += 1;
      const checked = checkStatusRow(row, mapped.columns);
      if (checked.ok) changes.push(checked.change);
      else report.rejected.push({ row: row.row, reasons: checked.reasons });
    }
    // Several changes of one application apply in the order they happened.
    changes.sort((a, b) => a.date.localeCompare(b.date) || a.row - b.row);
    for (const change of changes) {
      try {
        await this.applyStatus(change, report);
      } catch (error) {
        report.rejected.push({ row: change.row, reasons: ['error', error instanceof Error ? error.message.slice(0, 200) : String(error)] });
      }
    }
    report.rejected.sort((a, b) => a.row - b.row);
    return { ...base, outcome: 'applied', report };
  }

  private async applyStatus(change: StatusChangeRow, report: ImportReport): Promise<void> {
    const application = await this.db.application.findUnique({ where: { externalRef: change.externalRef } });
    if (!application) {
      report.rejected.push({ row: change.row, reasons: ['application-not-found'] });
      return;
    }
    // The same status, or a change older than what we already hold, changes nothing.
    if (application.status === change.status || change.date < moscowDateOf(application.statusChangedAt)) {
      report.unchanged += 1;
      return;
    }
    const outcome = await this.applications.changeStatus(application.id, change.status, REGISTRY_ACTOR, change.comment ?? undefined);
    if (outcome.ok) report.updated += 1;
    else report.rejected.push({ row: change.row, reasons: [outcome.reason] });
  }
}
