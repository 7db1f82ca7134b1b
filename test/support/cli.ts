import { randomBytes } from 'node:crypto';
import { type CliContext } from '../../admin/cli/commands';
import { type AdminServices, createAdminServices } from '../../admin/services';
import type { EvaluationRequests } from '../../core/credits/credits.service';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase, type TestDatabase } from './database';

export interface CliTest {
  db: Database;
  clock: FixedClock;
  ruleSets: RuleSetRepository;
  services: AdminServices;
  /** What the commands printed: results as they are, notes prefixed with "! ". */
  lines: string[];
  context: CliContext;
  /** Forgets the printed lines (the same array, emptied). */
  clear(): void;
  stop(): Promise<void>;
}

/**
 * The admin CLI's commands over a fresh test database, as `admin/cli.ts` wires them, printing into
 * `lines`; `extra` adds what a spec's commands need besides the admin services (events, reports, files).
 */
export async function startCliTest(
  options: {
    evaluations?: EvaluationRequests;
    extra?: (deps: { db: Database; clock: FixedClock; ruleSets: RuleSetRepository }) => Partial<CliContext>;
  } = {},
): Promise<CliTest> {
  const database: TestDatabase = await createTestDatabase();
  const db = createDatabase(database.url, { max: 2 });
  const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
  const ruleSets = new RuleSetRepository(db);
  const services = createAdminServices({
    db,
    cipher: new PersonalDataCipher(randomBytes(32)),
    clock,
    ruleSets,
    evaluations: options.evaluations ?? { request: async () => undefined },
  });
  const lines: string[] = [];
  const context: CliContext = {
    services,
    out: (line) => lines.push(line),
    err: (line) => lines.push(`! ${line}`),
    readFile: async () => Buffer.alloc(0),
    botUsername: async (flag) => flag ?? 'nmo_bot',
    ...options.extra?.({ db, clock, ruleSets }),
  };
  return {
    db,
    clock,
    ruleSets,
    services,
    lines,
    context,
    clear: () => void lines.splice(0),
    stop: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}
