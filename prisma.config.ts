import { defineConfig } from 'prisma/config';

// `env()` from prisma/config throws when DATABASE_URL is unset, even for `generate`;
// the client is generated without a database, so fall back to a harmless placeholder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/postgres' },
});
