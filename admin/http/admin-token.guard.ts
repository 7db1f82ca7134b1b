import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Config } from '../../infra/config/config';
import { CONFIG } from '../../infra/nest/tokens';

/**
 * The admin API answers only to `Authorization: Bearer <ADMIN_API_TOKEN>`. Without a configured token
 * the API does not exist (404, like any unknown path), so a deployment that forgot it exposes nothing.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(CONFIG) config: Config) {
    this.expected = config.ADMIN_API_TOKEN ? digest(config.ADMIN_API_TOKEN) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.originalUrl ?? request.url}`);
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    // Digests of equal length make the comparison constant-time whatever the length of what was sent.
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      throw new UnauthorizedException('a valid admin token is required (Authorization: Bearer <ADMIN_API_TOKEN>)');
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
