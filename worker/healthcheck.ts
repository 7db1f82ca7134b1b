import { Redis } from 'ioredis';
import { Client } from 'pg';
import { loadConfig, required } from '../infra/config/config';
import { redisConnectionOptions } from '../infra/queues/queues';

/** `node dist/worker/healthcheck.js`: exit 0 when the worker's PostgreSQL and Redis both answer. */
async function main(): Promise<void> {
  const config = loadConfig();
  const redis = new Redis({ ...redisConnectionOptions(required(config, 'REDIS_URL')), lazyConnect: true, connectTimeout: 2000 });
  const pg = new Client({ connectionString: required(config, 'DATABASE_URL'), connectionTimeoutMillis: 2000 });
  try {
    await redis.connect();
    await redis.ping();
    await pg.connect();
    await pg.query('SELECT 1');
  } finally {
    redis.disconnect();
    await pg.end().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`unhealthy: ${(error as Error).message}`);
    process.exit(1);
  },
);
