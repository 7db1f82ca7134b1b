import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Config } from '../../infra/config/config';
import { CONFIG } from '../../infra/nest/tokens';

/**
 * /metrics shares the public port with the webhook, and its counters tell anyone how busy the bot is
 * and how it fails: it answers only `Authorization: Bearer <METRICS_TOKEN>` (what a Prometheus scrape
 * job sends with `authorization: { credentials: … }`). Without a configured token it does not exist
 * (404, like any unknown path), so a deployment that forgot the token exposes nothing.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(CONFIG) config: Config) {
    this.expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.originalUrl ?? request.url}`);
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    // Digests of equal length make the comparison constant-time whatever the length of what was sent.
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new UnauthorizedException('a valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)');
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
