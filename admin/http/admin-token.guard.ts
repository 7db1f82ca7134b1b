import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { OrgAdminsService } from '../../core/organizations/org-admins.service';
import type { Config } from '../../infra/config/config';
import { CONFIG } from '../../infra/nest/tokens';
import { type AdminRequest, ORGANIZATION_SCOPED } from './principal';

/**
 * The admin API answers to `Authorization: Bearer <ADMIN_API_TOKEN>` (the platform operator) or to an
 * organization admin's key (`nmoorg_…`, issued with POST /admin/organizations/:code/admins/:externalId/keys),
 * which works only on routes marked @OrganizationScoped and only for its own organization. Without a
 * configured token and without a valid key the API does not exist (404, like any unknown path), so a
 * deployment that forgot the token exposes nothing.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(
    @Inject(CONFIG) config: Config,
    private readonly admins: OrgAdminsService,
    private readonly reflector: Reflector,
  ) {
    this.expected = config.ADMIN_API_TOKEN ? digest(config.ADMIN_API_TOKEN) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AdminRequest>();
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    // Digests of equal length make the comparison constant-time whatever the length of what was sent.
    if (match && this.expected && timingSafeEqual(digest(match[1]), this.expected)) {
      request.adminPrincipal = { kind: 'platform' };
      return true;
    }
    const admin = match ? await this.admins.authenticate(match[1]) : null;
    if (admin) {
      const scoped = this.reflector.getAllAndOverride<boolean>(ORGANIZATION_SCOPED, [context.getHandler(), context.getClass()]);
      if (!scoped) throw new ForbiddenException('an organization admin key cannot use this route; it needs the platform admin token');
      request.adminPrincipal = {
        kind: 'organization',
        organizationId: admin.organization.id,
        organizationCode: admin.organization.code,
        personId: admin.person.id,
      };
      return true;
    }
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.originalUrl ?? request.url}`);
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="admin"');
    throw new UnauthorizedException(
      'a valid admin token is required (Authorization: Bearer <ADMIN_API_TOKEN or an organization admin key>)',
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
