import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Put,
  Req,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Organization } from '../../generated/prisma/client';
import { parseCategory } from '../../core/organizations/categories';
import { describeFileProblem, type ImportTable } from '../../core/organizations/import-table';
import type { ImportOutcome, ImportReport } from '../../core/organizations/import-report';
import { MAX_INVITE_DAYS } from '../../core/organizations/invites.service';
import { readTableInThread, TabularError } from '../../infra/tabular';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES, BOT_USERNAME } from '../tokens';
import { AdminTokenGuard } from './admin-token.guard';
import { badRequest, parseBody, unprocessable } from './errors';
import { actorOf, assertPlatform, OrganizationScoped, organizationFor } from './principal';
import { readUpload } from './upload';

const createSchema = z.strictObject({
  code: z.string().trim().min(2).max(32),
  name: z.string().trim().min(1).max(300),
  contacts: z.string().trim().max(1000).optional(),
});

const assignSchema = z.strictObject({
  ruleSetCode: z.string().trim().min(1).max(64),
  /** A category code or its Russian name; absent or null: the organization's general rule set. */
  category: z.string().trim().min(1).max(64).nullable().optional(),
});

const externalIds = z.array(z.string().trim().min(1).max(64)).min(1).max(50_000);

const issueSchema = z.strictObject({
  externalIds: externalIds.optional(),
  validForDays: z.number().int().min(1).max(MAX_INVITE_DAYS).optional(),
});

const revokeSchema = z.strictObject({ externalIds: externalIds.optional() });

/**
 * Organizations, their rule sets, roster and credit imports, invite codes. Every change is journaled as
 * 'admin' (the admin person behind an organization key, or the platform operator). An organization
 * admin's key reaches its own organization only; creating organizations needs the platform token.
 */
@Controller('admin/organizations')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class OrganizationsController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    @Inject(BOT_USERNAME) private readonly botUsername: () => Promise<string>,
  ) {}

  @Post()
  async create(@Body() body: unknown, @Req() request: Request) {
    assertPlatform(request);
    const input = parseBody(createSchema, body);
    const created = await this.services.organizations.create(input, actorOf(request));
    if (!created.ok) {
      if (created.reason === 'code-taken') throw new ConflictException(`organization ${input.code.toUpperCase()} already exists`);
      if (created.reason === 'code-format') throw badRequest('code: 2–32 Latin capitals, digits, "_" or "-", e.g. GKB1');
      throw badRequest('name: must not be empty');
    }
    return this.services.organizations.overview(created.organization);
  }

  @Get(':code')
  async get(@Param('code') code: string, @Req() request: Request) {
    return this.services.organizations.overview(await this.organization(request, code));
  }

  @Put(':code/rule-set')
  async assignRuleSet(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(assignSchema, body);
    const organization = await this.organization(request, code);
    const category = input.category ? parseCategory(input.category) : null;
    if (input.category && !category)
      throw badRequest(
        `category: unknown category "${input.category}" (DOCTOR, NURSE, PHARMACIST, LAB_TECHNICIAN, SANITARY, ADMINISTRATOR)`,
      );
    const assigned = await this.services.organizations.assignRuleSet(organization, input.ruleSetCode, category, actorOf(request));
    if (!assigned.ok) throw unprocessable([`ruleSetCode: no rule set "${input.ruleSetCode}" is installed`]);
    return { organization: organization.code, category, ruleSetCode: input.ruleSetCode };
  }

  @Post(':code/roster/import')
  @HttpCode(HttpStatus.OK)
  async importRoster(@Param('code') code: string, @Req() request: Request): Promise<ImportReport> {
    const organization = await this.organization(request, code);
    return this.importFile(request, (table) => this.services.roster.import(organization.id, table, actorOf(request)));
  }

  @Post(':code/credits/import')
  @HttpCode(HttpStatus.OK)
  async importCredits(@Param('code') code: string, @Req() request: Request): Promise<ImportReport> {
    const organization = await this.organization(request, code);
    return this.importFile(request, (table) => this.services.credits.import(organization.id, table, actorOf(request)));
  }

  /** Issues codes for the given табельные номера, or for everyone not linked yet. The codes are shown only in this answer. */
  @Post(':code/invites')
  async issueInvites(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(issueSchema, body);
    const organization = await this.organization(request, code);
    const botUsername = await this.botUsername().catch((error: Error) => {
      throw new ServiceUnavailableException(`cannot build invite links: the bot's username is unknown (${error.message})`);
    });
    return this.services.invites.issue(organization.id, { botUsername, ...input }, actorOf(request));
  }

  @Post(':code/invites/revoke')
  @HttpCode(HttpStatus.OK)
  async revokeInvites(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(revokeSchema, body);
    const organization = await this.organization(request, code);
    return this.services.invites.revoke(organization.id, input.externalIds, actorOf(request));
  }

  private organization(request: Request, code: string): Promise<Organization> {
    return organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
  }

  private async importFile(request: Request, run: (table: ImportTable) => Promise<ImportOutcome>): Promise<ImportReport> {
    const bytes = await readUpload(request);
    let table: ImportTable;
    try {
      table = await readTableInThread(bytes);
    } catch (error) {
      if (error instanceof TabularError) throw badRequest(error.message, { code: error.code });
      throw error;
    }
    const outcome = await run(table);
    if (!outcome.ok) throw badRequest(describeFileProblem(outcome.problem), { code: outcome.problem.code });
    return outcome.report;
  }
}
