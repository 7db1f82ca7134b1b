import { Body, Controller, Delete, Get, NotFoundException, Param, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CANNED_NAME, CANNED_TEXT_MAX, CannedRepliesService } from '../../core/support/canned-replies';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { badRequest, parseBody } from '../http/errors';

const bodySchema = z.strictObject({ text: z.string().trim().min(1).max(CANNED_TEXT_MAX), language: z.enum(['ru', 'en']).optional() });

function checkedName(name: string): string {
  if (!CANNED_NAME.test(name)) throw badRequest(`name: 1–32 lowercase letters, digits, "_" or "-" (got "${name}")`);
  return name;
}

/** Canned replies agents send with /reply <name> (placeholders {{name}}, {{ticket}}, {{agent}}). */
@Controller('admin/canned-replies')
@UseGuards(AdminTokenGuard)
export class CannedRepliesController {
  constructor(private readonly canned: CannedRepliesService) {}

  @Get()
  async list() {
    return { cannedReplies: await this.canned.list() };
  }

  @Get(':name')
  async get(@Param('name') name: string) {
    const cannedReply = await this.canned.get(checkedName(name));
    if (!cannedReply) throw new NotFoundException(`no canned reply "${name}"`);
    return { cannedReply };
  }

  @Put(':name')
  async put(@Param('name') name: string, @Body() body: unknown) {
    const input = parseBody(bodySchema, body);
    return { cannedReply: await this.canned.put(checkedName(name), input.text, input.language) };
  }

  @Delete(':name')
  async remove(@Param('name') name: string) {
    if (!(await this.canned.remove(checkedName(name)))) throw new NotFoundException(`no canned reply "${name}"`);
    return { deleted: name };
  }
}
