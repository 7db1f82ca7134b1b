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
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { IDENTITY_STATUSES, IdentityService } from '../../core/identity/identity.service';
import { ADMIN_ACTOR } from '../http/actor';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { badRequest, parseBody } from '../http/errors';

const filterSchema = z.strictObject({ status: z.enum(IDENTITY_STATUSES).optional() });

/** A machine code the bot translates (`identity.error.<code>`), e.g. 'unreadable', 'expired-document'. */
const errorCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'lowercase letters, digits and hyphens, e.g. "unreadable"');

const decisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('SUCCESS') }),
  z.strictObject({ decision: z.literal('REJECTED'), errorCode, recommendation: z.string().trim().min(1).max(2000) }),
]);

/**
 * Identity confirmations for reviewers (R-LINK): list by status, download the uploaded document, decide.
 * 404 for an unknown id, 409 for a confirmation already decided (decisions are final; the person re-uploads).
 */
@Controller('admin/identity-confirmations')
@UseGuards(AdminTokenGuard)
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Get()
  async list(@Query() query: unknown) {
    const parsed = filterSchema.safeParse(query ?? {});
    if (!parsed.success)
      throw badRequest(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; '));
    return { confirmations: await this.identity.listForReview(parsed.data) };
  }

  @Get(':id/document')
  async document(@Param('id') id: string): Promise<StreamableFile> {
    const file = await this.identity.documentOf(id);
    if (!file) throw new NotFoundException(`no identity confirmation "${id}"`);
    return new StreamableFile(file.bytes, { type: file.document.mediaType, length: file.bytes.length });
  }

  @Post(':id/decision')
  @HttpCode(HttpStatus.OK)
  async decide(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody(decisionSchema, body);
    const outcome = await this.identity.decide(id, input, ADMIN_ACTOR);
    if (outcome.ok) return { confirmation: outcome.confirmation };
    if (outcome.reason === 'confirmation-not-found') throw new NotFoundException(`no identity confirmation "${id}"`);
    throw new ConflictException(`identity confirmation "${id}" is already decided; the person uploads a new document instead`);
  }
}
