import { ForbiddenException, NotFoundException, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Organization } from '../../generated/prisma/client';
import type { ImportActor } from '../../core/organizations/import-report';
import { ADMIN_ACTOR } from './actor';

/**
 * Who is calling the admin API: the platform operator (ADMIN_API_TOKEN: every organization, rule sets,
 * the calendar, reviews) or an organization admin (an API key issued to a person with the ADMIN role:
 * their organization only).
 */
export type AdminPrincipal =
  { kind: 'platform' } | { kind: 'organization'; organizationId: string; organizationCode: string; personId: string };

export interface AdminRequest extends Request {
  adminPrincipal?: AdminPrincipal;
}

/** Marks a controller or route an organization admin's key may call (the rest need the platform token). */
export const ORGANIZATION_SCOPED = 'admin:organization-scoped';
export const OrganizationScoped = () => SetMetadata(ORGANIZATION_SCOPED, true);

export function principalOf(request: Request): AdminPrincipal {
  const principal = (request as AdminRequest).adminPrincipal;
  // The guard sets it on every admin route; its absence is a wiring mistake, never a reason to let anyone in.
  if (!principal) throw new ForbiddenException('no admin credentials');
  return principal;
}

/** The journal's actor: the admin person behind a key, or the platform operator. */
export function actorOf(request: Request): ImportActor {
  const principal = principalOf(request);
  return principal.kind === 'organization' ? { type: 'admin', id: principal.personId } : ADMIN_ACTOR;
}

/** Refuses an organization admin's key on another organization (403; the other organization is not looked up). */
export function assertOrganizationAccess(request: Request, code: string): void {
  const principal = principalOf(request);
  if (principal.kind === 'organization' && principal.organizationCode !== code.trim().toUpperCase()) {
    throw new ForbiddenException(`this key acts for organization ${principal.organizationCode} only`);
  }
}

/** Looks an organization up for a caller allowed to act on it. */
export async function organizationFor(
  request: Request,
  code: string,
  find: (code: string) => Promise<Organization | null>,
): Promise<Organization> {
  assertOrganizationAccess(request, code);
  const organization = await find(code);
  if (!organization) throw new NotFoundException(`no organization "${code}"`);
  return organization;
}

/** Refuses organization keys on platform-only routes inside an organization-scoped controller. */
export function assertPlatform(request: Request): void {
  if (principalOf(request).kind !== 'platform') throw new ForbiddenException('this needs the platform admin token (ADMIN_API_TOKEN)');
}
