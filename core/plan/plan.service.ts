import { stripControlCharacters } from '../shared/text';
import type { Person, PlanItem } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { type CreditsService, profileOf, toEngineEntry } from '../credits/credits.service';
import { addDays, type IsoDate } from '../credits/dates';
import type { NotificationRequest } from '../notifications/notifications.service';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { dbDateOf, isoDateOfDbDate } from '../shared/local-date';
import {
  checkPlanItem,
  overlaps,
  type PlanItemDraft,
  type PlanItemInput,
  type PlanItemProblem,
  type PlanProjection,
  projectPlan,
} from './plan';
import { dateTimeFormat } from '../shared/intl-formats';

/** The part of NotificationsService the plan needs: reminders are scheduled, never sent from here. */
export interface PlanReminders {
  schedule(request: NotificationRequest): Promise<unknown>;
}

export type PlanRefusal = {
  ok: false;
  reason: PlanItemProblem['code'] | 'not-linked' | 'item-not-found';
  params?: Record<string, string | number>;
};
export type PlanAddOutcome = { ok: true; item: PlanItem } | PlanRefusal;

export interface PlanOverview {
  ruleSet: RuleSet;
  period: { start: IsoDate; end: IsoDate };
  /** Oldest start first. */
  items: PlanItem[];
  /** Ids of items whose dates overlap another's. */
  overlapping: Set<string>;
  projection: PlanProjection;
}

/** Reminder kinds the worker renders (worker/notifications/render.ts). */
export const PLAN_NOTICE_KINDS = ['plan.starts', 'plan.deadline'] as const;
/** Reminders go out in the morning of the person's day. */
const REMINDER_HOUR = 9;
const DEADLINE_NOTICE_DAYS = 3;

/** The study plan (R-PLAN): own items, overlaps flagged, reminders, and whether finishing it meets the rules. */
export class PlanService {
  constructor(
    private readonly db: Database,
    private readonly credits: CreditsService,
    private readonly reminders: PlanReminders,
    private readonly clock: Clock,
  ) {}

  async list(personId: string): Promise<PlanItem[]> {
    return this.db.planItem.findMany({ where: { personId }, orderBy: [{ startsOn: 'asc' }, { createdAt: 'asc' }] });
  }

  async overview(person: Person): Promise<PlanOverview> {
    const ruleSet = await this.credits.ruleSetOf(person);
    const [items, entries] = await Promise.all([
      this.list(person.id),
      this.db.creditEntry.findMany({ where: { personId: person.id, deletedAt: null } }),
    ]);
    const inputs = items.map(toPlanInput);
    const period = this.credits.periodOf(person, ruleSet);
    const projection = projectPlan(ruleSet, entries.map(toEngineEntry), inputs, profileOf(person), this.credits.today(person));
    return { ruleSet, period: { start: period.start, end: period.end }, items, overlapping: overlaps(inputs), projection };
  }

  /** Saves an own item after checking the whole draft (a wizard's state may be stale), journaled, with its reminders. */
  async add(person: Person, draft: PlanItemDraft): Promise<PlanAddOutcome> {
    if (person.onboardingStep !== 'LINKED') return { ok: false, reason: 'not-linked' };
    const ruleSet = await this.credits.ruleSetOf(person);
    const [problem] = checkPlanItem(ruleSet, draft);
    if (problem) {
      const { code, ...params } = problem;
      return { ok: false, reason: code, params };
    }
    const item = await this.db.$transaction(async (tx) => {
      const created = await tx.planItem.create({
        data: {
          personId: person.id,
          title: stripControlCharacters(draft.title).trim(),
          provider: draft.provider === undefined || draft.provider === null ? null : stripControlCharacters(draft.provider).trim() || null,
          creditTypeCode: draft.typeCode,
          startsOn: dbDateOf(draft.startsOn),
          endsOn: dbDateOf(draft.endsOn),
          hours: draft.hours,
          deadline: draft.deadline ? dbDateOf(draft.deadline) : null,
        },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'plan-item.created',
        subjectType: 'plan_item',
        subjectId: created.id,
        after: created,
      });
      return created;
    });
    await this.scheduleReminders(person, item);
    return { ok: true, item };
  }

  /** Someone else's item and a missing one look the same. Pending reminders of the item are cancelled. */
  async remove(person: Person, itemId: string): Promise<{ ok: true; item: PlanItem } | PlanRefusal> {
    if (!/^[0-9a-f-]{36}$/i.test(itemId)) return { ok: false, reason: 'item-not-found' };
    const item = await this.db.planItem.findUnique({ where: { id: itemId } });
    if (!item || item.personId !== person.id) return { ok: false, reason: 'item-not-found' };
    await this.db.$transaction(async (tx) => {
      await tx.planItem.delete({ where: { id: item.id } });
      await tx.notification.updateMany({
        where: { personId: person.id, subjectId: item.id, kind: { in: [...PLAN_NOTICE_KINDS] }, state: 'PENDING' },
        data: { state: 'CANCELLED' },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'plan-item.deleted',
        subjectType: 'plan_item',
        subjectId: item.id,
        before: item,
      });
    });
    return { ok: true, item };
  }

  /** 'plan.starts' the day before the start, 'plan.deadline' 3 days before a deadline; none in the past. */
  private async scheduleReminders(person: Person, item: PlanItem): Promise<void> {
    const now = this.clock.now();
    const milestones: Array<{ kind: (typeof PLAN_NOTICE_KINDS)[number]; day: IsoDate }> = [
      { kind: 'plan.starts', day: addDays(isoDateOfDbDate(item.startsOn), -1) },
    ];
    if (item.deadline) milestones.push({ kind: 'plan.deadline', day: addDays(isoDateOfDbDate(item.deadline), -DEADLINE_NOTICE_DAYS) });
    for (const { kind, day } of milestones) {
      const dueAt = instantAtLocal(day, REMINDER_HOUR, person.timeZone);
      if (dueAt <= now) continue;
      await this.reminders.schedule({
        personId: person.id,
        kind,
        subjectId: item.id,
        dueAt,
        idempotencyKey: `${kind}:${item.id}`,
        payload: {
          title: item.title,
          startsOn: isoDateOfDbDate(item.startsOn),
          endsOn: isoDateOfDbDate(item.endsOn),
          deadline: item.deadline ? isoDateOfDbDate(item.deadline) : null,
        },
      });
    }
  }
}

export function toPlanInput(item: PlanItem): PlanItemInput {
  return {
    id: item.id,
    typeCode: item.creditTypeCode,
    startsOn: isoDateOfDbDate(item.startsOn),
    endsOn: isoDateOfDbDate(item.endsOn),
    hours: item.hours,
    completed: item.completedAt !== null,
  };
}

/** The instant when the clock in `timeZone` shows `hour`:00 on `date` (offset taken at that moment). */
export function instantAtLocal(date: IsoDate, hour: number, timeZone: string): Date {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const parts = Object.fromEntries(
    dateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}
