import { Counter, Registry } from 'prom-client';
import { freePort } from '../scripts/services/free-port';
import { loadConfig } from '../infra/config/config';
import { createLogger } from '../infra/logger';
import { WorkerMetricsServer } from './metrics-server';

/** The engineer on call scrapes the worker's counters; nobody without the metrics token reads them. */
describe("the worker's /metrics", () => {
  const token = 'a-metrics-token-of-24-chars-or-more';
  let server: WorkerMetricsServer;
  let root: string;

  beforeAll(async () => {
    const port = await freePort();
    const config = loadConfig({ WORKER_METRICS_PORT: String(port), METRICS_TOKEN: token, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const registry = new Registry();
    new Counter({ name: 'nmo_outbound_possible_duplicates_total', help: 'test', registers: [registry] }).inc(2);
    server = new WorkerMetricsServer(registry, config, createLogger(config, 'worker'));
    await server.onApplicationBootstrap();
    root = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.onApplicationShutdown();
  });

  it('serves the counters to the bearer of METRICS_TOKEN', async () => {
    const response = await fetch(`${root}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('nmo_outbound_possible_duplicates_total 2');
  });

  it('refuses a scrape without the token or with another one, and knows no other path', async () => {
    const anonymous = await fetch(`${root}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await anonymous.text()).not.toContain('nmo_');
    expect((await fetch(`${root}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    expect((await fetch(`${root}/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
