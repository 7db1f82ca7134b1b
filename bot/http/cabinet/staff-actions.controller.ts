import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CreditsService } from '../../../core/credits/credits.service';
import { isIsoDate } from '../../../core/shared/dates';
import { DisputesService, type DisputeRefusal } from '../../../core/disputes/disputes.service';
import { DocumentsService } from '../../../core/documents/documents.service';
import { EventsService } from '../../../core/events/events.service';
import type { Translate } from '../../../infra/i18n';
import { formatNumber, formatValues } from '../../format';
import { CabinetAuthGuard } from './cabinet-auth.guard';
import { cabinetError, callerOf, personOf } from './cabinet-request';
import { readDocumentUpload } from './document-upload';
import { provisionalNote } from '../../../infra/provisional-note';
import { disputeRefusalText } from '../../shared/dispute-refusal';
import { moscowDayIn } from '../../shared/moscow-day';
import { plain } from './views/cycle-view';
import { documentView } from './views/entries-view';
import type { ActionResult, DocumentView } from './wire';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const newEntrySchema = z.strictObject({
  typeCode: z.string().min(1).max(64),
  quantity: z.number().finite(),
  date: z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD'),
  title: z.string().trim().max(200).optional(),
});

const attachSchema = z.strictObject({ documentId: z.string().regex(UUID, 'must be a document id') });

const newDisputeSchema = z.strictObject({
  subjectType: z.enum(['CREDIT_ENTRY', 'APPLICATION_STATUS', 'PROFILE_FIELD']),
  subjectId: z.string().max(64).optional(),
  field: z.string().max(64).optional(),
  reason: z.string().max(10_000),
  requestedValue: z.string().max(64).optional(),
  documentIds: z.array(z.string().max(64)).max(20),
});

const appealSchema = z.strictObject({ reason: z.string().max(10_000) });

/** A body that does not fit the form: 400 with what is wrong, in the person's language. */
function parse<T extends z.ZodType>(schema: T, body: unknown, t: Translate): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw cabinetError(400, 'bad-request', t('cabinet.errors.bad-request', { problems }));
}

/**
 * What a member of staff does in the cabinet: add an entry, upload and attach a document, dispute an
 * entry, appeal a rejection, sign up for an event. Each goes through the same core service the chat's
 * wizard calls, with the person as the actor, so the checks, the journal and the re-evaluation are the
 * chat's; a refusal comes back as the chat's sentence (422).
 */
@Controller('cabinet/api')
@UseGuards(CabinetAuthGuard)
export class StaffActionsController {
  constructor(
    private readonly credits: CreditsService,
    private readonly documents: DocumentsService,
    private readonly disputes: DisputesService,
    private readonly events: EventsService,
  ) {}

  @Post('entries')
  @HttpCode(201)
  async addEntry(@Req() request: Request, @Body() body: unknown): Promise<ActionResult & { entryId: string }> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const draft = parse(newEntrySchema, body, t);
    const outcome = await this.credits.addEntry(person, { ...draft, title: draft.title || undefined });
    if (!outcome.ok) throw cabinetError(422, outcome.reason, plain(t(`add.refused.${outcome.reason}`, formatValues(outcome.params, lang))));
    const { evaluation: e, ruleSet } = outcome.balance;
    const unit = t(`credits.unit.${ruleSet.unit}`);
    const message = [
      t('add.saved'),
      t('credits.total', { total: formatNumber(e.total, lang), required: formatNumber(e.required, lang), unit }),
      e.met ? t('credits.met') : t('credits.remaining', { remaining: formatNumber(e.remaining, lang), unit }),
    ]
      .map(plain)
      .join(' ');
    return { message, entryId: outcome.entry.id };
  }

  /** A file from the phone, stored exactly as a file sent to the bot is (type by content, size, duplicates). */
  @Post('documents')
  @HttpCode(201)
  async upload(@Req() request: Request): Promise<ActionResult & { document: DocumentView }> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const upload = await readDocumentUpload(request, this.documents.maxBytes);
    if (!upload.ok) {
      const refusal = this.documents.tooLarge(Number.MAX_SAFE_INTEGER)!;
      throw cabinetError(413, refusal.reason, t(`documents.refused.${refusal.reason}`, formatValues(refusal.params, lang)));
    }
    const outcome = await this.documents.store(person, { bytes: upload.bytes, originalName: upload.fileName ?? undefined });
    if (!outcome.ok) throw cabinetError(422, outcome.reason, t(`documents.refused.${outcome.reason}`, formatValues(outcome.params, lang)));
    const document = documentView(outcome.document, t);
    const message = outcome.duplicate
      ? t('cabinet.actions.document-duplicate', { name: document.name })
      : t('cabinet.actions.document-stored', { name: document.name });
    return { message, document };
  }

  @Post('entries/:id/documents')
  async attach(@Req() request: Request, @Param('id') entryId: string, @Body() body: unknown): Promise<ActionResult> {
    const person = personOf(request);
    const { t } = callerOf(request);
    const { documentId } = parse(attachSchema, body, t);
    const outcome = await this.documents.attach(person, documentId, { type: 'CREDIT_ENTRY', id: entryId });
    if (!outcome.ok) throw cabinetError(422, outcome.reason, t(`documents.refused.${outcome.reason}`));
    const name = documentView(outcome.document, t).name;
    return { message: t(outcome.alreadyAttached ? 'cabinet.actions.already-attached' : 'cabinet.actions.attached', { name }) };
  }

  @Post('disputes')
  @HttpCode(201)
  async dispute(@Req() request: Request, @Body() body: unknown): Promise<ActionResult & { disputeId: string }> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const draft = parse(newDisputeSchema, body, t);
    const outcome = await this.disputes.file(person, draft);
    if (!outcome.ok) throw this.refusal(outcome, t, lang);
    return {
      message: plain(
        t('disputes.filed', {
          date: moscowDayIn(lang, outcome.dispute.dueAt),
          provisional: provisionalNote(t, outcome.dispute.dueFallbackYear),
        }),
      ),
      disputeId: outcome.dispute.id,
    };
  }

  @Post('disputes/:id/appeal')
  @HttpCode(201)
  async appeal(@Req() request: Request, @Param('id') disputeId: string, @Body() body: unknown): Promise<ActionResult> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const { reason } = parse(appealSchema, body, t);
    const outcome = await this.disputes.fileAppeal(person, disputeId, reason);
    if (!outcome.ok) throw this.refusal(outcome, t, lang);
    return {
      message: plain(
        t('disputes.appeal.filed', {
          date: moscowDayIn(lang, outcome.appeal.dueAt),
          provisional: provisionalNote(t, outcome.appeal.dueFallbackYear),
        }),
      ),
    };
  }

  @Post('events/:id/sign-up')
  async signUp(@Req() request: Request, @Param('id') eventId: string): Promise<ActionResult> {
    const person = personOf(request);
    const { t } = callerOf(request);
    const outcome = await this.events.signUp(person, eventId);
    if (!outcome.ok) throw cabinetError(422, outcome.reason, t(`events.refused.${outcome.reason}`));
    return {
      message: t(outcome.event.format === 'WEBINAR' ? 'events.signed-up-webinar' : 'events.signed-up', { title: outcome.event.title }),
    };
  }

  @Delete('events/:id/sign-up')
  async cancelSignUp(@Req() request: Request, @Param('id') eventId: string): Promise<ActionResult> {
    const person = personOf(request);
    const { t } = callerOf(request);
    const outcome = await this.events.cancelSignUp(person, eventId);
    if (!outcome.ok) throw cabinetError(422, outcome.reason, t(`events.refused.${outcome.reason}`));
    return { message: t('events.sign-up-cancelled', { title: outcome.event.title }) };
  }

  private refusal(refusal: DisputeRefusal, t: Translate, lang: 'ru' | 'en') {
    return cabinetError(422, refusal.reason, disputeRefusalText(t, lang, refusal));
  }
}
