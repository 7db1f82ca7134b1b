import { z } from 'zod';
import type { Event, StaffCategory } from '../../generated/prisma/client';
import { STAFF_CATEGORIES } from '../organizations/categories';
import { stripControlCharacters } from '../shared/text';

export const EVENT_TITLE_MAX = 200;
export const EVENT_TEXT_MAX = 2000;
export const EVENT_PLACE_MAX = 300;
/** No single event of the НМО awards more than a 144-hour course; anything above is a typo. */
export const EVENT_ZET_MAX = 144;
export const EVENT_KINDS = ['PK', 'IOM', 'EVENT'] as const;
export const EVENT_FORMATS = ['WEBINAR', 'CONFERENCE', 'COURSE_SESSION'] as const;

/**
 * Each rule's message is a problem code: the bot translates it (events.problem.<code>), the admin API
 * and the CLI print it with the field it concerns.
 */
/** Free text as admins type it, minus the control characters PostgreSQL refuses (U+0000: 22021) and nobody sees. */
const text = () => z.string().overwrite(stripControlCharacters).trim();

export const eventFields = {
  title: text().min(1, 'title-empty').max(EVENT_TITLE_MAX, 'title-too-long'),
  description: text().max(EVENT_TEXT_MAX, 'text-too-long').nullable(),
  format: z.enum(EVENT_FORMATS, 'format-invalid'),
  kind: z.enum(EVENT_KINDS, 'kind-invalid'),
  startsAt: z.coerce.date('date-invalid'),
  endsAt: z.coerce.date('date-invalid'),
  place: text().max(EVENT_PLACE_MAX, 'place-too-long').nullable(),
  link: text()
    .max(EVENT_TEXT_MAX, 'link-invalid')
    .refine((value) => isHttpUrl(value), 'link-invalid')
    .nullable(),
  // Whole or one decimal (0,5 ЗЕТ is common; 0,25 is not a thing anyone awards).
  zet: z
    .number('zet-invalid')
    .positive('zet-invalid')
    .max(EVENT_ZET_MAX, 'zet-invalid')
    .refine((value) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9, 'zet-invalid'),
  capacity: z.number('capacity-invalid').int('capacity-invalid').min(1, 'capacity-invalid').max(100_000, 'capacity-invalid').nullable(),
  categories: z
    .array(z.enum(STAFF_CATEGORIES as unknown as [StaffCategory, ...StaffCategory[]], 'category-invalid'))
    .max(STAFF_CATEGORIES.length, 'category-invalid'),
  responsible: text().max(EVENT_TITLE_MAX, 'text-too-long').nullable(),
  budgetLine: text().max(EVENT_TITLE_MAX, 'text-too-long').nullable(),
  cost: z.number('cost-invalid').min(0, 'cost-invalid').max(1e12, 'cost-invalid').nullable(),
  programId: z.uuid('program-unknown').nullable(),
};

/** Rules of a whole event, whichever fields a request carried: checked again after every edit. */
export const eventSchema = z
  .strictObject({
    ...eventFields,
    description: eventFields.description.default(null),
    place: eventFields.place.default(null),
    link: eventFields.link.default(null),
    capacity: eventFields.capacity.default(null),
    categories: eventFields.categories.default([]),
    responsible: eventFields.responsible.default(null),
    budgetLine: eventFields.budgetLine.default(null),
    cost: eventFields.cost.default(null),
    programId: eventFields.programId.default(null),
  })
  .superRefine((event, ctx) => {
    if (event.endsAt < event.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'end-before-start' });
    if (event.format === 'WEBINAR' && !event.link) ctx.addIssue({ code: 'custom', path: ['link'], message: 'link-required' });
    if (event.format !== 'WEBINAR' && !event.place && !event.link)
      ctx.addIssue({ code: 'custom', path: ['place'], message: 'place-required' });
  });

export type EventInput = z.input<typeof eventSchema>;
export type EventData = z.output<typeof eventSchema>;
/** An edit: any fields of the event; the merged result must pass `eventSchema`. */
export type EventPatch = Partial<EventInput>;

export const programSchema = z.strictObject({
  title: eventFields.title,
  goal: text().max(EVENT_TEXT_MAX, 'text-too-long').nullable().default(null),
  criteria: text().max(EVENT_TEXT_MAX, 'text-too-long').nullable().default(null),
  budget: eventFields.cost.default(null),
});
export type ProgramInput = z.input<typeof programSchema>;

export interface InputProblem {
  field: string;
  code: string;
  /** Numbers the message needs (e.g. `taken` for capacity-below-sign-ups). */
  params?: Record<string, number>;
}

export function problemsOf(error: z.ZodError): InputProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '-',
    code: issue.code === 'unrecognized_keys' ? 'unknown-field' : issue.message,
  }));
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The stored event as the schema's input, so that an edit is the stored event with some fields replaced. */
export function inputOf(event: Event): EventInput {
  return {
    title: event.title,
    description: event.description,
    format: event.format,
    kind: event.kind,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    place: event.place,
    link: event.link,
    zet: event.zet,
    capacity: event.capacity,
    categories: event.categories,
    responsible: event.responsible,
    budgetLine: event.budgetLine,
    cost: event.cost === null ? null : Number(event.cost),
    programId: event.programId,
  };
}
