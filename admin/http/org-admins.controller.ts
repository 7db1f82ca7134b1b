import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Put,
  Req,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Organization } from '../../generated/prisma/client';
import { ADMIN_REFUSALS, OrgAdminsService } from '../../core/organizations/org-admins.service';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES } from '../tokens';
import { AdminTokenGuard } from './admin-token.guard';
import { parseBody } from './errors';
import { actorOf, OrganizationScoped, organizationFor } from './principal';

const keySchema = z.strictObject({ label: z.string().trim().max(100).optional() });

/**
 * Who administers an organization: the ADMIN role of linked staff (by табельный номер) and their API
 * keys. An organization admin may manage the admins of their own organization.
 */
@Controller('admin/organizations/:code')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class OrgAdminsController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    private readonly admins: OrgAdminsService,
  ) {}

  @Get('admins')
  async list(@Param('code') code: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    return { organization: organization.code, admins: await this.admins.list(organization.id) };
  }

  @Put('admins/:externalId')
  async grant(@Param('code') code: string, @Param('externalId') externalId: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.admins.grant(organization.id, externalId, actorOf(request));
    if (!outcome.ok) throw refusal(outcome.reason);
    return {
      organization: organization.code,
      externalId,
      personId: outcome.personId,
      linked: outcome.personId !== null,
      fullName: outcome.fullName,
      role: 'ADMIN',
      changed: outcome.changed,
    };
  }

  @Delete('admins/:externalId')
  async revoke(@Param('code') code: string, @Param('externalId') externalId: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.admins.revoke(organization.id, externalId, actorOf(request));
    if (!outcome.ok) throw refusal(outcome.reason);
    return { organization: organization.code, externalId, personId: outcome.personId, role: 'MEMBER', changed: outcome.changed };
  }

  /** The key is in this answer only; keep it like a password. */
  @Post('admins/:externalId/keys')
  async issueKey(@Param('code') code: string, @Param('externalId') externalId: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(keySchema, body);
    const organization = await this.organization(request, code);
    const outcome = await this.admins.issueKey(organization.id, externalId, input.label ?? null, actorOf(request));
    if (!outcome.ok) throw refusal(outcome.reason);
    return { organization: organization.code, externalId, id: outcome.id, key: outcome.key };
  }

  @Delete('admin-keys/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeKey(@Param('code') code: string, @Param('id') id: string, @Req() request: Request): Promise<void> {
    const organization = await this.organization(request, code);
    if (!z.uuid().safeParse(id).success || !(await this.admins.revokeKey(organization.id, id, actorOf(request))))
      throw new NotFoundException(`no active key ${id}`);
  }

  private organization(request: Request, code: string): Promise<Organization> {
    return organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
  }
}

function refusal(reason: keyof typeof ADMIN_REFUSALS): HttpException {
  if (reason === 'roster-entry-unknown') return new NotFoundException(ADMIN_REFUSALS[reason]);
  return new UnprocessableEntityException(ADMIN_REFUSALS[reason]);
}
