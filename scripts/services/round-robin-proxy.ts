import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP load balancer for several bot replicas behind one webhook URL (tests and benchmarks;
 * production puts nginx or a cloud balancer there). Requests go round robin to the live targets; a
 * target that refuses the connection is skipped for that request, and with none left the answer is
 * 502, which Telegram treats as a failed delivery and retries.
 */
export class RoundRobinProxy {
  private readonly targets: string[] = [];
  private next = 0;
  private server?: Server;
  /** Requests answered by each target, by its base URL. */
  readonly served = new Map<string, number>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.forward(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  add(baseUrl: string): void {
    this.targets.push(baseUrl);
  }

  remove(baseUrl: string): void {
    const i = this.targets.indexOf(baseUrl);
    if (i >= 0) this.targets.splice(i, 1);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (let tried = 0; tried < this.targets.length; tried++) {
      const target = this.targets[this.next++ % this.targets.length];
      const answered = await this.tryTarget(target, req, body, res);
      if (answered) {
        this.served.set(target, (this.served.get(target) ?? 0) + 1);
        return;
      }
    }
    res.writeHead(502).end('no replica reachable');
  }

  /** False when the target could not be reached at all (the next one is tried). */
  private tryTarget(target: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const url = new URL(req.url ?? '/', target);
      const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host }, agent: false }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve(true));
        answer.on('error', () => resolve(true));
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!res.headersSent && (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET')) resolve(false);
        else {
          if (!res.headersSent) res.writeHead(502).end(error.message);
          resolve(true);
        }
      });
      upstream.end(body);
    });
  }
}
