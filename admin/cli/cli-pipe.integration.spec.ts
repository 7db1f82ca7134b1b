import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';

const ROOT = path.resolve(__dirname, '../..');
const STAFF = 1000;

/**
 * `npm run admin -- invites:issue ORG | tee codes.txt`: the codes are shown once (only their hashes are
 * stored), so every line the CLI prints must reach the pipe before the process exits, however slowly
 * the other end reads. The CLI runs as its own process, from the TypeScript sources.
 */
describe('admin CLI writing into a pipe', () => {
  let database: TestDatabase;
  let db: Database;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'nmo-cli-pipe-'));
    const organization = await db.organization.create({ data: { code: 'PIPE', name: 'Поликлиника № 1' } });
    await db.rosterEntry.createMany({
      data: Array.from({ length: STAFF }, (_, i) => ({
        organizationId: organization.id,
        externalId: `T-${String(i + 1).padStart(4, '0')}`,
        fullName: `Сотрудник Номер ${i + 1}`,
        category: 'NURSE' as const,
      })),
    });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints every one of 1,000 invite codes to a reader that is slower than the CLI', async () => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(ROOT, 'scripts/swc-register.js'), path.join(ROOT, 'admin/cli.ts'), 'invites:issue', 'PIPE', '--bot', 'nmo_demo_bot'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: database.url,
          DATA_DIR: dataDir,
          DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Like `tee` on a busy machine: nothing is read until the CLI has said it is done, so the pipe is
    // full and the rest of the output still waits inside the CLI when it wants to exit.
    child.stdout.pause();
    // Listening while paused keeps the data waiting: without a listener Node would resume the stream
    // itself when the child exits first, and what it read would go to nobody.
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const check = () => {
        if (stderr.includes('invite code(s) issued') || child.exitCode !== null) resolve();
        else setTimeout(check, 50);
      };
      check();
    });
    child.stdout.resume();
    const code = await done;

    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`${STAFF} invite code(s) issued`) });
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
    expect(lines[0]).toBe('externalId\tfullName\tcode\tlink\texpiresAt');
    expect(lines).toHaveLength(STAFF + 1);
    expect(lines.at(-1)).toMatch(/^T-1000\tСотрудник Номер 1000\t/);
    expect(await db.inviteCode.count()).toBe(STAFF);
  }, 120_000);
});
