import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Req,
  UnprocessableEntityException,
  UseGuards,
  Inject,
} from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { STAFF_CATEGORIES } from '../../core/organizations/categories';
import type { StaffCategory } from '../../generated/prisma/client';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { parseBody } from '../http/errors';
import { actorOf, OrganizationScoped, organizationFor } from '../http/principal';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES } from '../tokens';

const announcementSchema = z.strictObject({
  category: z
    .enum(STAFF_CATEGORIES as [StaffCategory, ...StaffCategory[]])
    .nullable()
    .optional(),
  text: z.string().min(1).max(10_000),
});

const REFUSALS: Record<string, string> = {
  'text-empty': 'the text is empty',
  'no-recipients': 'nobody to send to: no linked staff with a chat in this audience',
};

/**
 * Announcements of an organization to its staff (R-ORG): sent through the outbound queue (quiet hours
 * and rate limits apply), with delivered / blocked / failed counts read back from the notifications.
 */
@Controller('admin/organizations/:code/announcements')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class AnnouncementsController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    private readonly announcements: AnnouncementsService,
  ) {}

  @Post()
  async send(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(announcementSchema, body);
    const organization = await organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
    const outcome = await this.announcements.send(
      organization.id,
      { category: input.category ?? null, text: input.text },
      actorOf(request),
    );
    if (!outcome.ok) {
      throw new UnprocessableEntityException(
        outcome.reason === 'text-too-long' ? `the text is longer than ${outcome.limit} characters` : REFUSALS[outcome.reason],
      );
    }
    return { id: outcome.announcement.id, recipients: outcome.announcement.recipients };
  }

  @Get()
  async recent(@Param('code') code: string, @Req() request: Request) {
    const organization = await organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
    return { organization: organization.code, announcements: await this.announcements.recent(organization.id, 20) };
  }

  @Get(':id')
  async counts(@Param('code') code: string, @Param('id') id: string, @Req() request: Request) {
    const organization = await organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
    const summary = await this.announcements.counts(organization.id, id);
    if (!summary) throw new NotFoundException(`no announcement ${id} in ${organization.code}`);
    return summary;
  }
}
