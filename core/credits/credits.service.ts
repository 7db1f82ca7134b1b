import type { CreditEntry, Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { CreditType, RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { dbDateOf, isoDateOfDbDate, localDateOf, parseRussianDate } from '../shared/local-date';
import type { IsoDate } from './dates';
import { evaluate, type Evaluation } from './engine';
import { resolvePeriod, type CreditPeriod } from './period';

/** Asks the worker to re-evaluate a person; implemented over BullMQ outside core/. */
export interface EvaluationRequests {
  request(personId: string, reason: string): Promise<void>;
}

export interface Balance {
  ruleSet: RuleSet;
  evaluation: Evaluation;
}

export interface EntryDraft {
  typeCode: string;
  quantity: number;
  date: IsoDate;
  title?: string;
}

export type Refusal<R extends string> = { ok: false; reason: R; params?: Record<string, string | number> };
export type QuantityCheck = { ok: true; value: number } | Refusal<'quantity-not-number' | 'quantity-range' | 'quantity-step'>;
export type DateCheck = { ok: true; value: IsoDate } | Refusal<'date-format' | 'date-future' | 'date-outside-period'>;
export type AddOutcome = { ok: true; entry: CreditEntry; balance: Balance } | Refusal<'not-linked' | 'type-unknown'> | QuantityCheck & { ok: false } | DateCheck & { ok: false };

/**
 * Credits of one person (R-CREDITS, R-ENTRY): the balance under the rule set that applies to them,
 * and entries they add, checked field by field with a reason people can act on.
 */
export class CreditsService {
  constructor(
    private readonly db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  async requestEvaluation(personId: string, reason: string): Promise<void> {
    await this.evaluations.request(personId, reason);
  }

  today(person: Pick<Person, 'timeZone'>): IsoDate {
    return localDateOf(this.clock.now(), person.timeZone);
  }

  async ruleSetOf(person: Person): Promise<RuleSet> {
    return this.ruleSets.forPerson(person);
  }

  periodOf(person: Person, ruleSet: RuleSet): CreditPeriod {
    return resolvePeriod(ruleSet, profileOf(person), this.today(person));
  }

  async balance(person: Person): Promise<Balance> {
    const ruleSet = await this.ruleSets.forPerson(person);
    const entries = await this.db.creditEntry.findMany({ where: { personId: person.id, deletedAt: null } });
    const evaluation = evaluate(ruleSet, entries.map(toEngineEntry), profileOf(person), this.today(person));
    return { ruleSet, evaluation };
  }

  /** Entries newest first, for the history view. */
  async history(personId: string, take = 20): Promise<CreditEntry[]> {
    return this.db.creditEntry.findMany({ where: { personId, deletedAt: null }, orderBy: [{ occurredOn: 'desc' }, { createdAt: 'desc' }], take });
  }

  checkQuantity(type: CreditType, text: string): QuantityCheck {
    const normalised = text.trim().replace(',', '.');
    if (!/^\d+(\.\d+)?$/.test(normalised)) return { ok: false, reason: 'quantity-not-number' };
    const value = Number(normalised);
    const { min, max, step } = type.quantity;
    if (value < min || value > max || value === 0) return { ok: false, reason: 'quantity-range', params: { min: Math.max(min, step ?? 0), max } };
    if (step !== undefined && Math.abs(value / step - Math.round(value / step)) > 1e-9) return { ok: false, reason: 'quantity-step', params: { step } };
    return { ok: true, value };
  }

  /** dd.mm.yyyy, not in the future (the person's today), inside the current period. */
  checkDate(text: string, today: IsoDate, period: CreditPeriod): DateCheck {
    const date = parseRussianDate(text);
    if (!date) return { ok: false, reason: 'date-format' };
    // ISO dates order as strings.
    if (date > today) return { ok: false, reason: 'date-future' };
    if (date < period.start || date > period.end) {
      return { ok: false, reason: 'date-outside-period', params: { start: period.start, end: period.end } };
    }
    return { ok: true, value: date };
  }

  /** Saves a person's own entry after checking every field again (a wizard's state may be stale). */
  async addEntry(person: Person, draft: EntryDraft): Promise<AddOutcome> {
    if (person.onboardingStep !== 'LINKED') return { ok: false, reason: 'not-linked' };
    const ruleSet = await this.ruleSets.forPerson(person);
    const type = ruleSet.creditTypes.find((t) => t.code === draft.typeCode);
    if (!type) return { ok: false, reason: 'type-unknown' };
    const quantity = this.checkQuantity(type, String(draft.quantity));
    if (!quantity.ok) return quantity;
    const [y, m, d] = draft.date.split('-');
    const date = this.checkDate(`${d}.${m}.${y}`, this.today(person), this.periodOf(person, ruleSet));
    if (!date.ok) return date;

    const entry = await this.db.$transaction(async (tx) => {
      const created = await tx.creditEntry.create({
        data: { personId: person.id, creditTypeCode: type.code, quantity: quantity.value, occurredOn: dbDateOf(date.value), title: draft.title, source: 'SELF' },
      });
      await recordAudit(tx, { actorType: 'person', actorId: person.id, action: 'credit-entry.created', subjectType: 'credit_entry', subjectId: created.id, after: created });
      return created;
    });
    await this.evaluations.request(person.id, 'entry-changed');
    return { ok: true, entry, balance: await this.balance(person) };
  }
}

export function profileOf(person: Pick<Person, 'category' | 'lastAccreditationDate'>) {
  return {
    category: person.category ?? undefined,
    cycleStart: person.lastAccreditationDate ? isoDateOfDbDate(person.lastAccreditationDate) : null,
  };
}

export function toEngineEntry(entry: CreditEntry) {
  return {
    id: entry.id,
    typeCode: entry.creditTypeCode,
    quantity: entry.quantity,
    date: isoDateOfDbDate(entry.occurredOn),
    verification: entry.verification,
  };
}
