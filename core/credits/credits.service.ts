import type { CreditEntry, Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { KeptWhileHeard, type TableChanges } from '../shared/kept-while-heard';
import { creditEntryRows } from './credit-entry-row';
import { dbDateOf, isoDateOfDbDate, localDateOf, parseRussianDate } from '../shared/local-date';
import type { IsoDate } from '../shared/dates';
import { evaluate, type Evaluation } from './engine';
import { checkCreditEntry, type CreditEntryCheck, type CreditEntryProblem } from './entry-check';
import { resolvePeriod, type CreditPeriod } from './period';

const ENTRIES_OF_PERSON = `
  SELECT ${creditEntryRows.columns('e')} FROM "CreditEntry" e WHERE e."personId" = $1::uuid AND e."deletedAt" IS NULL`;
const HISTORY = `${ENTRIES_OF_PERSON} ORDER BY e."occurredOn" DESC, e."createdAt" DESC LIMIT $2::int`;

/**
 * The channel PostgreSQL notifies whenever a statement changes "CreditEntry" (the trigger of migration
 * 20261205120000_credit_entries_changed_notifications).
 */
export const CREDIT_ENTRIES_CHANGED_CHANNEL = 'nmo_credit_entries_changed';
/** How long a person's entries are served from memory at most (keepWhileHeard), whatever was heard. */
export const CREDIT_ENTRIES_TTL_MS = 600_000;
/**
 * Entries kept at most, all people together (a person with none counts as one). An entry read costs some
 * 1.5 KB of heap (ids, dates and title as V8 keeps them), so this is 7–8 MB at the most against the bot's
 * 300 MB at peak; past it the people kept longest are read again.
 */
export const MAX_KEPT_CREDIT_ENTRIES = 5_000;

/** Asks the worker to re-evaluate a person; implemented over BullMQ outside core/. */
export interface EvaluationRequests {
  request(personId: string, reason: string): Promise<void>;
}

export interface Balance {
  ruleSet: RuleSet;
  evaluation: Evaluation;
  /** The entries evaluated (not deleted), for charts and exports drawn from the same data. */
  entries: CreditEntry[];
}

export interface EntryDraft {
  typeCode: string;
  quantity: number;
  date: IsoDate;
  title?: string;
}

/** A reason people can act on, with the numbers the sentence needs (locales: `add.refused.<reason>`). */
export type Refusal = { ok: false; reason: string; params?: Record<string, string | number> };
export type Checked<T> = { ok: true; value: T } | Refusal;
export type AddOutcome = { ok: true; entry: CreditEntry; balance: Balance } | Refusal;

/**
 * Credits of one person (R-CREDITS, R-ENTRY): the balance under the rule set that applies to them,
 * and entries they add, checked field by field with a reason people can act on.
 */
export class CreditsService {
  /** Each person's entries, while changes to them are heard (keepWhileHeard). */
  private kept?: KeptWhileHeard<readonly CreditEntry[]>;

  constructor(
    private readonly db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  /**
   * From now on a person's entries (the balance's and the history's) are kept in memory between reads,
   * all forgotten whenever `changes` (CREDIT_ENTRIES_CHANGED_CHANNEL) hears any statement on "CreditEntry",
   * whoever makes it, and read afresh while changes are not heard. The bot does this: /credits and each
   * history press read them, and a visit presses several times in a row. What this process writes is heard
   * before its write returns (DatabaseChanges.alsoHearOn), so the balance shown after an /add counts it.
   * The kept entries are frozen: every caller gets an array of its own, never an entry to change.
   */
  keepWhileHeard(changes: TableChanges): void {
    this.kept = new KeptWhileHeard<readonly CreditEntry[]>(changes, {
      ttlMs: CREDIT_ENTRIES_TTL_MS,
      max: MAX_KEPT_CREDIT_ENTRIES,
      weigh: (entries) => Math.max(1, entries.length),
    });
  }

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
    // Both at once: the rule set is read with the other presses of this turn (see forPerson).
    const [ruleSet, entries] = await Promise.all([this.ruleSets.forPerson(person), this.entriesOf(person.id)]);
    const evaluation = evaluate(ruleSet, entries.map(toEngineEntry), profileOf(person), this.today(person));
    return { ruleSet, evaluation, entries };
  }

  /**
   * Entries newest first, for the history view and exports. This read and the balance's are made for
   * every /credits and history press: SQL prepared once per connection (see prisma-rows.ts).
   */
  async history(personId: string, take?: number): Promise<CreditEntry[]> {
    if (!this.kept) return creditEntryRows.read(this.db, 'credit-history', HISTORY, [personId, take ?? null]);
    // HISTORY's order, on the kept entries.
    const newestFirst = (await this.entriesOf(personId)).sort(
      (a, b) => b.occurredOn.getTime() - a.occurredOn.getTime() || b.createdAt.getTime() - a.createdAt.getTime(),
    );
    return take === undefined ? newestFirst : newestFirst.slice(0, take);
  }

  /** A person's entries not deleted, in no order: an array of the caller's own (see keepWhileHeard). */
  private async entriesOf(personId: string): Promise<CreditEntry[]> {
    const read = () => creditEntryRows.read(this.db, 'credit-entries-of-person', ENTRIES_OF_PERSON, [personId]);
    if (!this.kept) return read();
    const entries = await this.kept.get(personId, async () => (await read()).map((entry) => Object.freeze(entry)));
    return entries ? [...entries] : [];
  }

  /** Only what a person entered themselves and nobody verified yet may be changed by them. */
  static isEditable(entry: CreditEntry): boolean {
    return entry.source === 'SELF' && entry.verification === 'UNVERIFIED' && entry.deletedAt === null;
  }

  /** Someone else's entry and a missing one look the same: nothing is revealed about others. */
  async ownEntry(person: Person, entryId: string): Promise<CreditEntry | null> {
    if (!/^[0-9a-f-]{36}$/i.test(entryId)) return null;
    const entry = await this.db.creditEntry.findUnique({ where: { id: entryId } });
    return entry && entry.personId === person.id && entry.deletedAt === null ? entry : null;
  }

  /** Changes quantity or date of an own unverified entry, checked again as a whole, journaled before/after. */
  async updateEntry(person: Person, entryId: string, patch: { quantity?: number; date?: IsoDate }): Promise<AddOutcome> {
    const entry = await this.ownEntry(person, entryId);
    if (!entry) return { ok: false, reason: 'entry-not-found' };
    if (!CreditsService.isEditable(entry)) return { ok: false, reason: 'entry-not-editable' };
    const ruleSet = await this.ruleSets.forPerson(person);
    const draft = {
      typeCode: entry.creditTypeCode,
      quantity: patch.quantity ?? entry.quantity,
      date: patch.date ?? isoDateOfDbDate(entry.occurredOn),
    };
    const check = checkCreditEntry(ruleSet, draft, this.periodOf(person, ruleSet), this.today(person));
    if (!check.ok) return refusalOf(check.problems[0]);
    const updated = await this.db.$transaction(async (tx) => {
      const after = await tx.creditEntry.update({
        where: { id: entry.id },
        data: { quantity: draft.quantity, occurredOn: dbDateOf(draft.date) },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'credit-entry.updated',
        subjectType: 'credit_entry',
        subjectId: entry.id,
        before: entry,
        after,
      });
      return after;
    });
    await this.evaluations.request(person.id, 'entry-changed');
    return { ok: true, entry: updated, balance: await this.balance(person) };
  }

  async deleteEntry(person: Person, entryId: string): Promise<AddOutcome> {
    const entry = await this.ownEntry(person, entryId);
    if (!entry) return { ok: false, reason: 'entry-not-found' };
    if (!CreditsService.isEditable(entry)) return { ok: false, reason: 'entry-not-editable' };
    const deleted = await this.db.$transaction(async (tx) => {
      const after = await tx.creditEntry.update({ where: { id: entry.id }, data: { deletedAt: this.clock.now() } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'credit-entry.deleted',
        subjectType: 'credit_entry',
        subjectId: entry.id,
        before: entry,
        after,
      });
      return after;
    });
    await this.evaluations.request(person.id, 'entry-changed');
    return { ok: true, entry: deleted, balance: await this.balance(person) };
  }

  /**
   * One answer of the /add wizard, checked by the same rules as the whole entry (`checkCreditEntry`):
   * the text is parsed here, the rule set decides, and only the problems of this field are reported.
   */
  checkQuantity(ruleSet: RuleSet, typeCode: string, text: string, today: IsoDate): Checked<number> {
    const normalised = text.trim().replace(',', '.');
    if (!/^\d{1,6}(\.\d{1,2})?$/.test(normalised)) return { ok: false, reason: 'quantity-not-a-number' };
    const quantity = Number(normalised);
    const period = { start: today, end: today };
    return firstProblem(checkCreditEntry(ruleSet, { typeCode, quantity, date: today }, period, today), 'quantity', quantity);
  }

  /** dd.mm.yyyy, not in the future (the person's today), inside the current period. */
  checkDate(ruleSet: RuleSet, typeCode: string, text: string, today: IsoDate, period: CreditPeriod): Checked<IsoDate> {
    const date = parseRussianDate(text);
    if (!date) return { ok: false, reason: 'date-invalid' };
    const quantity = ruleSet.creditTypes.find((t) => t.code === typeCode)?.quantity.max ?? 1;
    return firstProblem(checkCreditEntry(ruleSet, { typeCode, quantity, date }, period, today), 'date', date);
  }

  /** Saves a person's own entry after checking every field again (a wizard's state may be stale). */
  async addEntry(person: Person, draft: EntryDraft): Promise<AddOutcome> {
    if (person.onboardingStep !== 'LINKED') return { ok: false, reason: 'not-linked' };
    const ruleSet = await this.ruleSets.forPerson(person);
    const check = checkCreditEntry(ruleSet, draft, this.periodOf(person, ruleSet), this.today(person));
    if (!check.ok) return refusalOf(check.problems[0]);

    const entry = await this.db.$transaction(async (tx) => {
      const created = await tx.creditEntry.create({
        data: {
          personId: person.id,
          creditTypeCode: draft.typeCode,
          quantity: draft.quantity,
          occurredOn: dbDateOf(draft.date),
          title: draft.title,
          source: 'SELF',
        },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'credit-entry.created',
        subjectType: 'credit_entry',
        subjectId: created.id,
        after: created,
      });
      return created;
    });
    await this.evaluations.request(person.id, 'entry-changed');
    return { ok: true, entry, balance: await this.balance(person) };
  }
}

function refusalOf(problem: CreditEntryProblem): Refusal {
  const { code, ...params } = problem;
  return { ok: false, reason: code, params: params as Record<string, string | number> };
}

function firstProblem<T>(check: CreditEntryCheck, field: 'quantity' | 'date', value: T): Checked<T> {
  const problem = check.ok ? undefined : check.problems.find((p) => p.code.startsWith(field) || p.code === 'unknown-type');
  return problem ? refusalOf(problem) : { ok: true, value };
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
