import { Body, Controller, Get, HttpException, Inject, NotFoundException, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Organization } from '../../generated/prisma/client';
import type { EventInput, EventPatch, ProgramInput } from '../../core/events/event-input';
import { EventsService, type Invalid } from '../../core/events/events.service';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { badRequest, parseBody, unprocessable } from '../http/errors';
import { actorOf, OrganizationScoped, organizationFor } from '../http/principal';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES } from '../tokens';

const cancelSchema = z.strictObject({ reason: z.string().trim().min(1, 'say why the event is cancelled').max(500) });
const listQuery = z.strictObject({ from: z.iso.date().optional(), includeCancelled: z.enum(['true', 'false']).optional() });

/**
 * Events and programs of an organization (#8): the education department plans them, staff sign up in
 * the bot. An organization admin's key reaches its own organization only; the service checks every
 * event and program id against the organization, so another organization's ids answer 404.
 */
@Controller('admin/organizations/:code')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class EventsController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    private readonly events: EventsService,
  ) {}

  @Get('events')
  async list(@Param('code') code: string, @Query() query: unknown, @Req() request: Request) {
    const { from, includeCancelled } = parseBody(listQuery, query);
    const organization = await this.organization(request, code);
    const events = await this.events.listEvents(organization.id, {
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      includeCancelled: includeCancelled !== 'false',
    });
    return { organization: organization.code, events: events.map(eventView) };
  }

  @Post('events')
  async create(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.events.createEvent(organization.id, objectBody(body) as EventInput, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return eventView({ ...outcome.event, seatsTaken: 0 });
  }

  @Patch('events/:id')
  async update(@Param('code') code: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.events.updateEvent(organization.id, id, objectBody(body) as EventPatch, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return eventView((await this.events.getEvent(organization.id, id))!);
  }

  /** Everybody signed up is told, with the reason. */
  @Post('events/:id/cancel')
  async cancel(@Param('code') code: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const { reason } = parseBody(cancelSchema, body);
    const organization = await this.organization(request, code);
    const outcome = await this.events.cancelEvent(organization.id, id, reason, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return eventView((await this.events.getEvent(organization.id, id))!);
  }

  @Get('events/:id/registrations')
  async registrations(@Param('code') code: string, @Param('id') id: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const registrations = await this.events.registrations(organization.id, id);
    if (!registrations) throw new NotFoundException(`no event ${id} in ${organization.code}`);
    return { organization: organization.code, eventId: id, active: registrations.filter((r) => !r.cancelledAt).length, registrations };
  }

  @Get('programs')
  async programs(@Param('code') code: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    return {
      organization: organization.code,
      programs: (await this.events.listPrograms(organization.id)).map((p) => ({
        ...p,
        budget: p.budget === null ? null : Number(p.budget),
      })),
    };
  }

  @Post('programs')
  async createProgram(@Param('code') code: string, @Body() body: unknown, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.events.createProgram(organization.id, objectBody(body) as ProgramInput, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return { ...outcome.program, budget: outcome.program.budget === null ? null : Number(outcome.program.budget) };
  }

  @Patch('programs/:id')
  async updateProgram(@Param('code') code: string, @Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.events.updateProgram(organization.id, id, objectBody(body) as Partial<ProgramInput>, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return { ...outcome.program, budget: outcome.program.budget === null ? null : Number(outcome.program.budget) };
  }

  /** Events of an archived program stay; it is only no longer offered for new ones. */
  @Post('programs/:id/archive')
  async archiveProgram(@Param('code') code: string, @Param('id') id: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const outcome = await this.events.archiveProgram(organization.id, id, actorOf(request));
    if (!outcome.ok) throw refusal(outcome);
    return { ...outcome.program, budget: outcome.program.budget === null ? null : Number(outcome.program.budget) };
  }

  private organization(request: Request, code: string): Promise<Organization> {
    return organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
  }
}

function eventView(event: Awaited<ReturnType<EventsService['listEvents']>>[number]) {
  return {
    ...event,
    cost: event.cost === null ? null : Number(event.cost),
    seatsLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.seatsTaken),
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('send a JSON object');
  return body as Record<string, unknown>;
}

function refusal(outcome: Invalid | { ok: false; reason: string }): HttpException {
  if (outcome.reason === 'invalid' && 'problems' in outcome) return unprocessable(outcome.problems.map((p) => `${p.field}: ${p.code}`));
  if (outcome.reason === 'not-found') return new NotFoundException('no such event or program in this organization');
  return unprocessable([outcome.reason === 'cancelled' ? 'the event is cancelled already' : outcome.reason]);
}
