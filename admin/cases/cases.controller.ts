import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { APPLICATION_STATUSES } from '../../core/applications/application-status';
import { ApplicationsService } from '../../core/applications/applications.service';
import { CASE_STATUSES } from '../../core/disputes/case-status';
import { DisputesService, type DisputeRefusal } from '../../core/disputes/disputes.service';
import { ADMIN_ACTOR } from '../http/actor';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { badRequest, parseBody } from '../http/errors';
import { appealView, applicationView, disputeView } from './case-responses';

const DOCUMENT_KINDS = ['CERTIFICATE', 'DIPLOMA', 'REPORT', 'IDENTITY', 'OTHER'] as const;

const createApplicationSchema = z.strictObject({
  organizationCode: z.string().trim().min(2).max(32),
  /** The staff member's табельный номер in the organization's roster. */
  externalId: z.string().trim().min(1).max(64),
  kind: z.string().trim().min(1).max(64),
  title: z.string().trim().min(1).max(300),
  responsibleBody: z.string().trim().min(1).max(300).optional(),
  contacts: z.string().trim().min(1).max(1000).optional(),
  requiredDocuments: z.array(z.enum(DOCUMENT_KINDS)).max(10).optional(),
  externalRef: z.string().trim().min(1).max(128).optional(),
});

const statusSchema = z.strictObject({ status: z.enum(APPLICATION_STATUSES), comment: z.string().trim().min(1).max(2000).optional() });
const decisionSchema = z.strictObject({ decision: z.enum(['APPROVED', 'REJECTED']), comment: z.string().trim().min(1).max(2000) });
const applicationFilter = z.strictObject({ status: z.enum(APPLICATION_STATUSES).optional() });
const caseFilter = z.strictObject({ status: z.enum(CASE_STATUSES).optional() });

/**
 * Applications, disputes and appeals for reviewers and organization admins (R-APPS, R-DISPUTE, R-APPEAL):
 * 404 for an unknown id, 409 for a transition the state machine forbids (e.g. deciding a decided case).
 */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class CasesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly disputes: DisputesService,
  ) {}

  @Get('applications')
  async listApplications(@Query() query: unknown) {
    const filter = parseQuery(applicationFilter, query);
    return { applications: (await this.applications.listAll(filter)).map(applicationView) };
  }

  @Post('applications')
  async createApplication(@Body() body: unknown) {
    const input = parseBody(createApplicationSchema, body);
    const person = await this.applications.personOfRoster(input.organizationCode, input.externalId);
    if (!person.ok) {
      if (person.reason === 'organization-not-found') throw new NotFoundException(`no organization "${input.organizationCode}"`);
      if (person.reason === 'roster-entry-not-found')
        throw new NotFoundException(`no roster entry "${input.externalId}" in ${input.organizationCode}`);
      throw new ConflictException(`roster entry "${input.externalId}" has not linked the bot yet: an application needs a linked person`);
    }
    const { organizationCode: _o, externalId: _e, ...fields } = input;
    try {
      return applicationView(await this.applications.create({ personId: person.personId, ...fields }, ADMIN_ACTOR));
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002')
        throw new ConflictException(`an application with externalRef "${input.externalRef}" already exists`);
      throw error;
    }
  }

  @Post('applications/:id/status')
  @HttpCode(HttpStatus.OK)
  async changeStatus(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody(statusSchema, body);
    const outcome = await this.applications.changeStatus(id, input.status, ADMIN_ACTOR, input.comment);
    if (outcome.ok) return { application: applicationView(outcome.application), transition: outcome.transition };
    if (outcome.reason === 'application-not-found') throw new NotFoundException(`no application "${id}"`);
    const current = await this.applications.findById(id);
    throw new ConflictException(`illegal transition: application "${id}" is ${current?.status} and cannot become ${input.status}`);
  }

  @Get('disputes')
  async listDisputes(@Query() query: unknown) {
    const filter = parseQuery(caseFilter, query);
    return { disputes: (await this.disputes.listForReview(filter)).map(disputeView) };
  }

  @Post('disputes/:id/review')
  @HttpCode(HttpStatus.OK)
  async startReview(@Param('id') id: string) {
    const outcome = await this.disputes.startReview(id, ADMIN_ACTOR);
    if (!outcome.ok) throw refusal(outcome, 'dispute', id, 'UNDER_REVIEW');
    return disputeView(outcome.dispute);
  }

  @Post('disputes/:id/decision')
  @HttpCode(HttpStatus.OK)
  async decideDispute(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody(decisionSchema, body);
    const outcome = await this.disputes.decide(id, input.decision, input.comment, ADMIN_ACTOR);
    if (!outcome.ok) throw refusal(outcome, 'dispute', id, input.decision);
    return { dispute: disputeView(outcome.dispute), corrected: outcome.corrected };
  }

  @Get('appeals')
  async listAppeals(@Query() query: unknown) {
    const filter = parseQuery(caseFilter, query);
    return { appeals: (await this.disputes.listAppeals(filter)).map(appealView) };
  }

  @Post('appeals/:id/decision')
  @HttpCode(HttpStatus.OK)
  async decideAppeal(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody(decisionSchema, body);
    const outcome = await this.disputes.decideAppeal(id, input.decision, input.comment, ADMIN_ACTOR);
    if (!outcome.ok) throw refusal(outcome, 'appeal', id, input.decision);
    return { appeal: appealView(outcome.appeal), corrected: outcome.corrected, final: true };
  }
}

function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  throw badRequest(result.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; '));
}

function refusal(outcome: DisputeRefusal, what: 'dispute' | 'appeal', id: string, to: string): Error {
  if (outcome.reason === 'dispute-not-found' || outcome.reason === 'appeal-not-found') return new NotFoundException(`no ${what} "${id}"`);
  return new ConflictException(
    `illegal transition: the ${what} "${id}" cannot become ${to} (it is already decided, and decisions are final)`,
  );
}
