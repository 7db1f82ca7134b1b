import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { freePort } from './free-port';

const execFileAsync = promisify(execFile);

/** Where Debian's packages install the server binaries, one folder per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

/** The server binaries: PG_BIN, else the newest PostgreSQL from Debian's packages (15 on Debian 12). */
export const POSTGRES_BIN_DIR = process.env.PG_BIN ?? newestDebianPostgres();

/** Embedded connections are queued onto one PGlite backend; the pools of a few services must fit. */
const EMBEDDED_MAX_CONNECTIONS = 32;

export interface RunningPostgres {
  /** URL of the `postgres` database as the `postgres` superuser. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface RunningEmbeddedPostgres extends RunningPostgres {
  /** The PGlite instance behind the socket, e.g. to `dumpDataDir()` a template. */
  readonly db: PGlite;
}

export interface LocalPostgresOptions {
  /** Folder for the cluster (`data/`), its unix socket and log; reused when it already holds a cluster.
   * Every ancestor must be searchable by the `postgres` user when we run as root. */
  dir: string;
  port?: number;
}

export interface EmbeddedPostgresOptions {
  /** Folder the data persists in; omitted, the database lives in memory. */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from instead of an empty cluster. */
  loadDataDir?: Blob;
  port?: number;
}

interface UnixUser {
  uid: number;
  gid: number;
}

export function hasLocalPostgres(): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(path.join(POSTGRES_BIN_DIR, bin)));
}

/** Starts a PostgreSQL cluster in `dir` from the system's binaries, creating it on first use. Tuned for
 * disposable data (tests, the demo): no fsync. */
export async function startLocalPostgres(opts: LocalPostgresOptions): Promise<RunningPostgres> {
  if (!hasLocalPostgres()) {
    throw new Error(`PostgreSQL binaries not found in ${POSTGRES_BIN_DIR}: apt-get install postgresql, or set PG_BIN`);
  }
  const dir = path.resolve(opts.dir);
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  const logFile = path.join(dir, 'postgres.log');
  // The server refuses to run as root, and initdb/pg_ctl fail silently on folders it cannot write.
  const owner = process.getuid?.() === 0 ? lookupUser('postgres') : undefined;
  for (const folder of [dir, dataDir, socketDir]) {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    if (owner) await fs.chown(folder, owner.uid, owner.gid);
  }

  const pgBin = (name: string) => path.join(POSTGRES_BIN_DIR, name);
  const run = (bin: string, args: string[]) => runAs(owner, pgBin(bin), args, dir, logFile);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const port = opts.port ?? (await freePort());
  const serverOptions = [
    `-p ${port}`,
    `-k '${socketDir}'`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    // Test and demo data are disposable: trade crash safety for speed.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  await run('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', logFile, '-w', 'start']);

  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
  };
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) in this process, served over TCP for `pg` clients.
 * PGlite (28 MB) is a development dependency, loaded only here: a production install (`npm ci --omit=dev`,
 * the Docker image) does not carry it, and nothing the bot, the worker, the CLI or the migrations load
 * reaches this function.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const { PGlite, PGLiteSocketServer } = await loadPglite();
  if (opts.dataDir) await fs.mkdir(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: opts.port ?? 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    db,
    // PGlite has one database whatever the client asks for, and no TLS.
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function loadPglite() {
  try {
    const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
    return { PGlite, PGLiteSocketServer };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' && (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND')
      throw error;
    throw new Error(
      'the embedded PostgreSQL (PGlite) is a development dependency and is not installed here (npm ci --omit=dev?): ' +
        'run npm ci without --omit=dev, or set DATABASE_URL to a PostgreSQL server',
      { cause: error },
    );
  }
}

function newestDebianPostgres(): string {
  const versions = existsSync(DEBIAN_POSTGRES_ROOT)
    ? readdirSync(DEBIAN_POSTGRES_ROOT)
        .filter((name) => /^\d+$/.test(name))
        .map(Number)
    : [];
  return path.join(DEBIAN_POSTGRES_ROOT, String(Math.max(15, ...versions)), 'bin');
}

function lookupUser(name: string): UnixUser {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
  if (!entry) throw new Error(`user "${name}" not found: the postgresql package creates it`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function runAs(owner: UnixUser | undefined, bin: string, args: string[], cwd: string, logFile: string) {
  try {
    await execFileAsync(bin, args, { cwd, uid: owner?.uid, gid: owner?.gid });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    const log = await fs.readFile(logFile, 'utf8').catch(() => '');
    const detail = [stderr, lastLines(log, 5)].filter(Boolean).join('\n').trim();
    throw new Error(`${path.basename(bin)} failed: ${detail || String(error)}`, { cause: error });
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
