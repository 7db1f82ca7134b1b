import type { AccessLevel, Document, Person, Portfolio, PortfolioItem } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { CreditsService } from '../credits/credits.service';
import type { IsoDate } from '../shared/dates';
import type { Evaluation } from '../credits/engine';
import type { DocumentsService, DocumentRefusal } from '../documents/documents.service';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Database } from '../shared/database';
import { dbDateOf, isoDateOfDbDate } from '../shared/local-date';
import { type Completeness, checkCompleteness } from './completeness';
import { educationKind, educationKindOf, type ReportKind } from './item-kind';
import { checkPublicationUrl, type UrlProblem } from './publication-url';
import { stripControlCharacters } from '../shared/text';

export type PortfolioRefusalReason = 'not-linked' | 'no-portfolio' | 'item-not-found' | 'text-empty' | 'text-too-long' | UrlProblem;
/** A reason people can act on (locales: `portfolio.refused.<reason>`). */
export type PortfolioRefusal = { ok: false; reason: PortfolioRefusalReason };

export interface PortfolioItemView {
  item: PortfolioItem;
  /** Education: the credit type code; report part: 'report' or 'publication'. */
  typeCode: string;
  /** Education items imported from a credit entry: the entry's date. */
  date: IsoDate | null;
  documents: Document[];
}

/** Who the portfolio is about: never phone, СНИЛС or ИНН (the export may leave the person's hands). */
export interface PortfolioOwner {
  name: string;
  category: string | null;
  specialty: string | null;
  organization: string | null;
}

export interface PortfolioView {
  portfolio: Portfolio;
  owner: PortfolioOwner;
  ruleSet: RuleSet;
  evaluation: Evaluation;
  items: PortfolioItemView[];
  completeness: Completeness;
  /** When the portfolio may be submitted (12 months before the accreditation expires under 709н). */
  window: Evaluation['portfolioWindow'];
}

export interface ReportInput {
  title: string;
  description: string;
  url?: string | null;
}

const MAX_TITLE = 200;
const MAX_TEXT = 4000;

/**
 * The accreditation portfolio (R-PORTFOLIO): one per person per accreditation cycle, with an activity
 * report part and an education part filled from credit entries; items carry documents and an access level.
 */
export class PortfolioService {
  constructor(
    private readonly db: Database,
    private readonly credits: CreditsService,
    private readonly documents: DocumentsService,
  ) {}

  /** The portfolio of the person's current cycle, if they made one. */
  async current(person: Person): Promise<Portfolio | null> {
    const ruleSet = await this.credits.ruleSetOf(person);
    const period = this.credits.periodOf(person, ruleSet);
    return this.db.portfolio.findFirst({
      where: { personId: person.id, periodStart: dbDateOf(period.start) },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Creates the current cycle's portfolio; a second call returns the first one unchanged. */
  async create(
    person: Person,
    input: { name: string; goal?: string | null },
  ): Promise<{ ok: true; portfolio: Portfolio; created: boolean } | PortfolioRefusal> {
    if (person.onboardingStep !== 'LINKED') return { ok: false, reason: 'not-linked' };
    const existing = await this.current(person);
    if (existing) return { ok: true, portfolio: existing, created: false };
    const name = stripControlCharacters(input.name).trim().slice(0, MAX_TITLE);
    if (!name) return { ok: false, reason: 'text-empty' };
    const ruleSet = await this.credits.ruleSetOf(person);
    const period = this.credits.periodOf(person, ruleSet);
    const goal = input.goal ? stripControlCharacters(input.goal).trim().slice(0, MAX_TEXT) || null : null;
    const portfolio = await this.db.$transaction(async (tx) => {
      const row = await tx.portfolio.create({
        data: { personId: person.id, name, goal, periodStart: dbDateOf(period.start), periodEnd: dbDateOf(period.end) },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'portfolio.created',
        subjectType: 'portfolio',
        subjectId: row.id,
        after: row,
      });
      return row;
    });
    return { ok: true, portfolio, created: true };
  }

  async setGoal(person: Person, goal: string): Promise<{ ok: true; portfolio: Portfolio } | PortfolioRefusal> {
    const portfolio = await this.current(person);
    if (!portfolio) return { ok: false, reason: 'no-portfolio' };
    const text = checkText(goal);
    if (!text.ok) return text;
    const updated = await this.db.$transaction(async (tx) => {
      const row = await tx.portfolio.update({ where: { id: portfolio.id }, data: { goal: text.value } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'portfolio.goal',
        subjectType: 'portfolio',
        subjectId: row.id,
        before: { goal: portfolio.goal },
        after: { goal: row.goal },
      });
      return row;
    });
    return { ok: true, portfolio: updated };
  }

  /** An item of the activity report part: the report text itself, or a publication with its link. */
  async addReportItem(person: Person, kind: ReportKind, input: ReportInput): Promise<{ ok: true; item: PortfolioItem } | PortfolioRefusal> {
    const portfolio = await this.current(person);
    if (!portfolio) return { ok: false, reason: 'no-portfolio' };
    const description = checkText(input.description);
    if (!description.ok) return description;
    const url = input.url ? checkPublicationUrl(input.url) : null;
    if (url && !url.ok) return url;
    const title = stripControlCharacters(input.title).trim().slice(0, MAX_TITLE) || description.value.slice(0, MAX_TITLE);
    const item = await this.db.$transaction(async (tx) => {
      const row = await tx.portfolioItem.create({
        data: { portfolioId: portfolio.id, section: 'ACTIVITY_REPORT', kind, title, description: description.value, url: url?.url ?? null },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'portfolio.item-added',
        subjectType: 'portfolio_item',
        subjectId: row.id,
        after: row,
      });
      return row;
    });
    return { ok: true, item };
  }

  /** Sets (or replaces) the publication link of an own report item, checked like any link. */
  async setItemUrl(person: Person, itemId: string, text: string): Promise<{ ok: true; item: PortfolioItem } | PortfolioRefusal> {
    const item = await this.ownItem(person, itemId);
    if (!item) return { ok: false, reason: 'item-not-found' };
    const url = checkPublicationUrl(text);
    if (!url.ok) return url;
    return { ok: true, item: await this.updateItem(person, item, { url: url.url }, 'portfolio.item-url') };
  }

  async setAccess(person: Person, itemId: string, accessLevel: AccessLevel): Promise<{ ok: true; item: PortfolioItem } | PortfolioRefusal> {
    const item = await this.ownItem(person, itemId);
    if (!item) return { ok: false, reason: 'item-not-found' };
    if (item.accessLevel === accessLevel) return { ok: true, item };
    return { ok: true, item: await this.updateItem(person, item, { accessLevel }, 'portfolio.item-access') };
  }

  async attachDocument(person: Person, itemId: string, documentId: string): Promise<{ ok: true } | PortfolioRefusal | DocumentRefusal> {
    const item = await this.ownItem(person, itemId);
    if (!item) return { ok: false, reason: 'item-not-found' };
    const outcome = await this.documents.attach(person, documentId, { type: 'PORTFOLIO_ITEM', id: item.id });
    return outcome.ok ? { ok: true } : outcome;
  }

  /**
   * Fills the education part from the person's credit entries of the portfolio's period (not rejected,
   * types the rule set knows), each entry once; an entry's proof is attached to its item.
   */
  async importEducation(person: Person): Promise<{ ok: true; added: number } | PortfolioRefusal> {
    const portfolio = await this.current(person);
    if (!portfolio) return { ok: false, reason: 'no-portfolio' };
    const ruleSet = await this.credits.ruleSetOf(person);
    const known = new Set(ruleSet.creditTypes.map((t) => t.code));
    const [entries, items] = await Promise.all([
      this.db.creditEntry.findMany({
        where: {
          personId: person.id,
          deletedAt: null,
          verification: { not: 'REJECTED' },
          occurredOn: { gte: portfolio.periodStart, lte: portfolio.periodEnd },
        },
        orderBy: [{ occurredOn: 'asc' }, { createdAt: 'asc' }],
      }),
      this.db.portfolioItem.findMany({ where: { portfolioId: portfolio.id, section: 'EDUCATION' }, select: { kind: true } }),
    ]);
    const imported = new Set(items.map((i) => educationKindOf(i.kind).creditEntryId));
    const fresh = entries.filter((e) => known.has(e.creditTypeCode) && !imported.has(e.id));
    for (const entry of fresh) {
      const type = ruleSet.creditTypes.find((t) => t.code === entry.creditTypeCode)!;
      const item = await this.db.$transaction(async (tx) => {
        const row = await tx.portfolioItem.create({
          data: {
            portfolioId: portfolio.id,
            section: 'EDUCATION',
            kind: educationKind(entry.creditTypeCode, entry.id),
            title: (entry.title ?? type.name[person.language]).slice(0, MAX_TITLE),
            hours: entry.quantity,
          },
        });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'portfolio.item-imported',
          subjectType: 'portfolio_item',
          subjectId: row.id,
          after: { ...row, creditEntryId: entry.id },
        });
        return row;
      });
      if (entry.documentId) await this.documents.attach(person, entry.documentId, { type: 'PORTFOLIO_ITEM', id: item.id });
    }
    return { ok: true, added: fresh.length };
  }

  /** Everything the summary and the exports show, computed from one read. */
  async view(person: Person): Promise<PortfolioView | null> {
    const portfolio = await this.current(person);
    if (!portfolio) return null;
    const [{ ruleSet, evaluation }, items, organization] = await Promise.all([
      this.credits.balance(person),
      this.db.portfolioItem.findMany({ where: { portfolioId: portfolio.id }, orderBy: { createdAt: 'asc' } }),
      person.organizationId ? this.db.organization.findUnique({ where: { id: person.organizationId }, select: { name: true } }) : null,
    ]);
    const links = await this.db.documentLink.findMany({
      where: { subjectType: 'PORTFOLIO_ITEM', subjectId: { in: items.map((i) => i.id) } },
      include: { document: true },
    });
    const entryIds = items.map((i) => educationKindOf(i.kind).creditEntryId).filter((id): id is string => id !== null);
    const entries = await this.db.creditEntry.findMany({
      where: { id: { in: entryIds }, personId: person.id },
      select: { id: true, occurredOn: true },
    });
    const dateOf = new Map(entries.map((e) => [e.id, isoDateOfDbDate(e.occurredOn)]));
    const views = items.map((item): PortfolioItemView => {
      const kind = item.section === 'EDUCATION' ? educationKindOf(item.kind) : { typeCode: item.kind, creditEntryId: null };
      const documents = links.filter((l) => l.subjectId === item.id && !l.document.deletedAt).map((l) => l.document);
      return { item, typeCode: kind.typeCode, date: kind.creditEntryId ? (dateOf.get(kind.creditEntryId) ?? null) : null, documents };
    });
    const completeness = checkCompleteness(
      {
        goal: portfolio.goal,
        items: views.map((v) => ({
          section: v.item.section,
          typeCode: v.typeCode,
          description: v.item.description,
          hours: v.item.hours,
          documents: v.documents.length,
        })),
      },
      ruleSet,
    );
    const owner = {
      name: person.fullName ?? '',
      category: person.category,
      specialty: person.specialty,
      organization: organization?.name ?? null,
    };
    return { portfolio, owner, ruleSet, evaluation, items: views, completeness, window: evaluation.portfolioWindow };
  }

  /** Someone else's item and a missing one look the same. */
  async ownItem(person: Pick<Person, 'id'>, itemId: string): Promise<PortfolioItem | null> {
    if (!/^[0-9a-f-]{36}$/i.test(itemId)) return null;
    return this.db.portfolioItem.findFirst({ where: { id: itemId, portfolio: { personId: person.id } } });
  }

  private async updateItem(
    person: Person,
    item: PortfolioItem,
    data: { url?: string; accessLevel?: AccessLevel },
    action: string,
  ): Promise<PortfolioItem> {
    return this.db.$transaction(async (tx) => {
      const row = await tx.portfolioItem.update({ where: { id: item.id }, data });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action,
        subjectType: 'portfolio_item',
        subjectId: item.id,
        before: item,
        after: row,
      });
      return row;
    });
  }
}

function checkText(text: string): { ok: true; value: string } | PortfolioRefusal {
  const value = stripControlCharacters(text).trim();
  if (!value) return { ok: false, reason: 'text-empty' };
  if (value.length > MAX_TEXT) return { ok: false, reason: 'text-too-long' };
  return { ok: true, value };
}
