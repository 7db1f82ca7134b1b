import { Controller, Get, Inject, Param, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type { i18n } from 'i18next';
import { z } from 'zod';
import { STAFF_CATEGORIES } from '../../core/organizations/categories';
import { ComplianceReportService } from '../../core/reports/compliance-report.service';
import { ProgramReportService } from '../../core/reports/program-report.service';
import type { Clock } from '../../core/shared/clock';
import type { StaffCategory } from '../../generated/prisma/client';
import { createI18n } from '../../infra/i18n';
import { CLOCK } from '../../infra/nest/tokens';
import { complianceReportFile, programReportFile, type ReportFile } from '../../infra/render/organization-report-files';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { parseBody } from '../http/errors';
import { actorOf, OrganizationScoped, organizationFor } from '../http/principal';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES } from '../tokens';

const format = z.enum(['json', 'xlsx', 'pdf']).default('json');
const lang = z.enum(['ru', 'en']).default('ru');

const complianceQuery = z.strictObject({
  format,
  lang,
  behindPace: z.enum(['true', 'false']).optional(),
  deadlineWithinMonths: z.coerce.number().int().min(0).max(120).optional(),
  category: z.enum(STAFF_CATEGORIES as [StaffCategory, ...StaffCategory[]]).optional(),
});

const programsQuery = z.strictObject({ format, lang });

/**
 * The education department's reports (R-ORG): compliance of every staff member and budget and
 * participation per program, as JSON, XLSX or PDF. An organization admin's key reads its own
 * organization only; every read is journaled by the report services.
 */
@Controller('admin/organizations/:code/reports')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class ReportsController {
  private readonly i18n: i18n = createI18n();

  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    private readonly compliance: ComplianceReportService,
    private readonly programs: ProgramReportService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('compliance')
  async complianceReport(@Param('code') code: string, @Query() query: unknown, @Req() request: Request) {
    const input = parseBody(complianceQuery, query);
    const organization = await organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
    const filters = {
      ...(input.behindPace === 'true' ? { behindPace: true } : {}),
      ...(input.deadlineWithinMonths !== undefined ? { deadlineWithinMonths: input.deadlineWithinMonths } : {}),
      ...(input.category ? { category: input.category } : {}),
    };
    const report = await this.compliance.read(organization, filters, { actor: actorOf(request), format: input.format, channel: 'api' });
    if (input.format === 'json') return report;
    return streamed(await complianceReportFile(report, input.format, this.i18n.getFixedT(input.lang), input.lang, this.clock.now()));
  }

  @Get('programs')
  async programReport(@Param('code') code: string, @Query() query: unknown, @Req() request: Request) {
    const input = parseBody(programsQuery, query);
    const organization = await organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
    const report = await this.programs.read(organization, { actor: actorOf(request), format: input.format, channel: 'api' });
    if (input.format === 'json') return report;
    return streamed(await programReportFile(report, input.format, this.i18n.getFixedT(input.lang), input.lang));
  }
}

function streamed(file: ReportFile): StreamableFile {
  return new StreamableFile(file.bytes, {
    type: file.contentType,
    length: file.bytes.length,
    disposition: `attachment; filename="${file.fileName}"`,
  });
}
