import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, promises as fs } from 'node:fs';
import { once } from 'node:events';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const execFileAsync = promisify(execFile);

const STARTUP_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
const PING_TIMEOUT_MS = 1_000;

export interface RedisOptions {
  /** Folder for the server's log (and working directory). */
  dir: string;
  port?: number;
  /** Install redis-server with apt-get when it is missing and we are root (default true). */
  installIfMissing?: boolean;
  /**
   * Keep an append-only file in `dir`, fsynced on every write, as production's Redis does (there with
   * `appendfsync everysec`): the bot's update log then survives a Redis restart. Default: nothing on disk.
   */
  appendOnly?: boolean;
}

export interface RunningRedis {
  readonly url: string;
  /** The server's process id (benches read its CPU time from /proc). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 as a child process (keeping nothing on disk unless `appendOnly`). */
export async function startRedis(opts: RedisOptions): Promise<RunningRedis> {
  const server = findExecutable('redis-server') ?? (await installRedis(opts.installIfMissing ?? true));
  const dir = path.resolve(opts.dir);
  await fs.mkdir(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const logFile = path.join(dir, 'redis.log');
  const durability = opts.appendOnly ? { appendonly: 'yes', appendfsync: 'always' } : { appendonly: 'no' };
  const config = { port: String(port), bind: '127.0.0.1', save: '', ...durability, logfile: logFile, dir };
  const child = spawn(
    server,
    Object.entries(config).flatMap(([key, value]) => [`--${key}`, value]),
    {
      stdio: 'ignore',
    },
  );
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  if (!(await waitForPing(port, () => spawnError === undefined && isRunning(child)))) {
    await stop(child);
    const log = await fs.readFile(logFile, 'utf8').catch(() => '');
    const reason = spawnError?.message ?? log.trim().split('\n').slice(-3).join(' ');
    throw new Error(`redis-server did not start on port ${port}: ${reason}`);
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop: () => stop(child) };
}

async function installRedis(allowed: boolean): Promise<string> {
  const canInstall = allowed && process.getuid?.() === 0 && findExecutable('apt-get') !== undefined;
  if (!canInstall) {
    throw new Error(
      'redis-server is not installed: install it (apt-get install redis-server), or run ' +
        '`docker compose up -d redis` and set REDIS_URL=redis://localhost:6379',
    );
  }
  console.error('redis-server is missing: installing it with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => execFileAsync('apt-get', ['install', '-y', '-qq', 'redis-server'], { env });
  // A fresh machine has no package lists yet: fetch them only when the install needs them.
  await install().catch(async () => {
    await execFileAsync('apt-get', ['update', '-qq'], { env });
    await install();
  });
  const server = findExecutable('redis-server');
  if (!server) throw new Error('apt-get installed redis-server, but it is not on PATH');
  return server;
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  return dirs
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

async function waitForPing(port: number, serverAlive: () => boolean): Promise<boolean> {
  for (const deadline = Date.now() + STARTUP_TIMEOUT_MS; Date.now() < deadline && serverAlive(); await sleep(POLL_MS)) {
    if (await answersPing(port)) return true;
  }
  return false;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(PING_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('error', () => done(false));
  });
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

async function stop(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
