import { Body, Controller, Get, HttpStatus, Inject, NotFoundException, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ADMIN_SERVICES } from '../tokens';
import type { AdminServices } from '../services';
import { AdminTokenGuard } from './admin-token.guard';
import { ADMIN_ACTOR } from './actor';
import { badRequest, unprocessable } from './errors';

/** Rule sets as data (R-RULES): list, read the latest version, install a new one. */
@Controller('admin/rule-sets')
@UseGuards(AdminTokenGuard)
export class RuleSetsController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get()
  async list() {
    return { ruleSets: await this.services.ruleSets.list() };
  }

  @Get(':code')
  async latest(@Param('code') code: string) {
    const ruleSet = await this.services.ruleSets.latest(code);
    if (!ruleSet) throw new NotFoundException(`no rule set "${code}"`);
    return ruleSet;
  }

  /** 201 when installed, 200 when the same version with the same content is already there, 422 with every reason otherwise. */
  @Post()
  async install(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest('send the rule set definition as a JSON object (Content-Type: application/json)');
    }
    const result = await this.services.ruleSets.install(body, ADMIN_ACTOR);
    if (!result.ok) throw unprocessable(result.errors);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return { code: result.ruleSet.code, version: result.ruleSet.version, created: result.created };
  }
}
