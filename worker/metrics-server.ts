import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { required, type Config } from '../infra/config/config';
import type { Logger } from '../infra/logger';
import { CONFIG, LOGGER, METRICS } from '../infra/nest/tokens';

/**
 * `GET /metrics` of the worker process (Prometheus text), on WORKER_METRICS_PORT when it is set: the
 * worker has no other HTTP, and its counters (outbound outages, possible duplicates) live in its own
 * process, one series per replica. Off by default; like the bot's, it answers only
 * `Authorization: Bearer <METRICS_TOKEN>` (configuration refuses the port without the token).
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.WORKER_METRICS_PORT;
    if (port === undefined) return;
    const expected = digest(required(this.config, 'METRICS_TOKEN'));
    const server = createServer((request, response) => this.answer(request, response, expected));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.HTTP_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ port }, 'worker metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse, expected: Buffer): void {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    // Digests of equal length make the comparison constant-time whatever the length of what was sent.
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      response
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"' })
        .end('a valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)\n');
      return;
    }
    this.registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
      (err: unknown) => {
        this.logger.warn({ err }, 'worker metrics not collected');
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
