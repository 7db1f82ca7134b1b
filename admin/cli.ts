import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import pino from 'pino';
import { CalendarRepository } from '../core/calendar/calendar.repository';
import { CalendarYearsService } from '../core/calendar/calendar-years.service';
import { WorkingDayDeadlines } from '../core/calendar/working-day-deadlines';
import { ProvisionalDeadlines } from '../core/disputes/provisional-deadlines';
import type { EvaluationRequests } from '../core/credits/credits.service';
import { PersonalDataCipher } from '../core/people/personal-data';
import { RuleSetRepository } from '../core/rules/rule-set.repository';
import { systemClock } from '../core/shared/clock';
import { createDatabase, type Database } from '../core/shared/database';
import { type Config, ConfigError, loadConfig, required } from '../infra/config/config';
import { personalDataKey } from '../infra/personal-data-key';
import {
  type EvaluationJob,
  type OutboundJob,
  QUEUE,
  QueueEvaluationRequests,
  QueueOutboundDispatch,
  redisConnectionOptions,
} from '../infra/queues/queues';
import { FailedNotifications, type OutboundRequeue } from '../core/notifications/failed-notifications';
import { botUsernameFromTelegram } from './bot-username';
import { CliError, runCommand } from './cli/commands';
import { EventsService } from '../core/events/events.service';
import { NotificationsService } from '../core/notifications/notifications.service';
import { AnnouncementsService } from '../core/announcements/announcements.service';
import { ComplianceReportService } from '../core/reports/compliance-report.service';
import { ProgramReportService } from '../core/reports/program-report.service';
import { createAdminServices } from './services';

/**
 * The admin CLI: `node dist/admin/cli.js <command> …` (see `help`). Reads the same environment as the
 * processes (DATABASE_URL, DATA_ENCRYPTION_KEY or the development key in DATA_DIR, REDIS_URL).
 */
async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const db = createDatabase(required(config, 'DATABASE_URL'), { max: 2 });
  // Warnings go to stderr: stdout carries results a script may redirect (invite codes as TSV).
  const logger = pino({ name: 'admin-cli', level: 'warn' }, pino.destination(2));
  const evaluations = evaluationRequests(config);
  const outbound = outboundRequeue(config);
  try {
    const ruleSets = new RuleSetRepository(db);
    const services = createAdminServices({
      db,
      cipher: new PersonalDataCipher(personalDataKey(config, logger)),
      clock: systemClock,
      ruleSets,
      evaluations: evaluations.port,
    });
    await runCommand(argv, {
      services,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      readFile: (path) => readFile(path),
      botUsername: async (flag) => {
        if (flag) return flag;
        if (!config.TELEGRAM_BOT_TOKEN) throw new CliError('pass --bot <username> or set TELEGRAM_BOT_TOKEN to build invite links');
        try {
          return await botUsernameFromTelegram(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT)();
        } catch (error) {
          throw new CliError(`could not ask Telegram for the bot's username (${(error as Error).message}); pass --bot <username>`);
        }
      },
      evaluationNote: () => evaluations.note(),
      calendar: calendarYears(db, config, logger),
      // Notices of a cancelled event are rows in the database; the worker's reconciler hands due rows to
      // the outbound queue every minute, so the CLI needs no queue of its own for them.
      events: new EventsService(db, new NotificationsService(db, { dispatch: async () => undefined }, systemClock), systemClock),
      reports: { compliance: new ComplianceReportService(db, ruleSets, systemClock), programs: new ProgramReportService(db, systemClock) },
      // Like event notices: the rows are written here and the worker's reconciler queues them within a minute.
      announcements: new AnnouncementsService(
        db,
        new NotificationsService(db, { dispatch: async () => undefined }, systemClock),
        systemClock,
      ),
      writeFile: (path, bytes) => writeFile(path, bytes),
      failedNotifications: new FailedNotifications(db, outbound.port),
    });
    return 0;
  } finally {
    await outbound.close();
    await evaluations.close();
    await db.$disconnect();
  }
}

/**
 * The outbound queue for notifications:retry, opened only when a retry has something to queue (no other
 * command touches Redis for it). Without REDIS_URL the list still works, and a retry says what is
 * missing before it changes anything.
 */
function outboundRequeue(config: Config): { port: OutboundRequeue; close(): Promise<void> } {
  let queue: Queue<OutboundJob> | null = null;
  const open = (): QueueOutboundDispatch => {
    if (!config.REDIS_URL) throw new CliError('REDIS_URL is not set: a retry puts notifications on the outbound queue in Redis');
    if (!queue) {
      queue = new Queue<OutboundJob>(QUEUE.outbound, { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.REDIS_PREFIX });
      // Redis out of reach ends the retry through the timeout below, not as an unhandled error event.
      queue.on('error', () => undefined);
    }
    return new QueueOutboundDispatch(queue);
  };
  return {
    port: {
      forgetEnded: async (ids) => withTimeout(open().forgetEnded(ids), 30_000),
      dispatchMany: async (items) => withTimeout(open().dispatchMany(items), 30_000),
    },
    close: async () => {
      await queue?.close();
    },
  };
}

/**
 * Loading a year settles the provisional deadlines as the admin API does. Their notices are rows in the
 * database, which the worker's reconciler queues within a minute, like event notices.
 */
function calendarYears(db: Database, config: Config, logger: pino.Logger): CalendarYearsService {
  const calendar = new CalendarRepository(db);
  const notifications = new NotificationsService(db, { dispatch: async () => undefined }, systemClock);
  const deadlines = new WorkingDayDeadlines(calendar, notifications, systemClock, {
    supportChatId: config.SUPPORT_CHAT_ID,
    warn: (fields, message) => logger.warn(fields, message),
  });
  return new CalendarYearsService(calendar, new ProvisionalDeadlines(db, deadlines, notifications, systemClock));
}

/**
 * With Redis, changed people are re-evaluated right away by the worker, as after a change in the bot.
 * Without it (or when it does not answer), the nightly sweep re-evaluates everyone: say so rather than
 * pretend, and never fail an import that has already been committed.
 */
function evaluationRequests(config: Config): { port: EvaluationRequests; note(): string | undefined; close(): Promise<void> } {
  const sweep = 'the people concerned will be re-evaluated in the nightly sweep.';
  if (!config.REDIS_URL)
    return { port: { request: async () => undefined }, note: () => `REDIS_URL is not set: ${sweep}`, close: async () => undefined };
  const url = config.REDIS_URL;
  let queue: Queue<EvaluationJob> | null = null;
  let failure: string | undefined;
  // The first connection error ends the wait at once (and is not printed as an unhandled error event).
  let connectionFailed: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (connectionFailed = reject));
  failed.catch(() => undefined);
  const open = () => {
    if (queue) return queue;
    queue = new Queue<EvaluationJob>(QUEUE.evaluation, { connection: redisConnectionOptions(url), prefix: config.REDIS_PREFIX });
    queue.on('error', (error) => connectionFailed(error));
    return queue;
  };
  return {
    port: {
      async request(personId, reason) {
        if (failure) return;
        try {
          await withTimeout(Promise.race([new QueueEvaluationRequests(open()).request(personId, reason), failed]), 10_000);
        } catch (error) {
          failure = (error as Error).message;
        }
      },
    },
    note: () => (failure ? `Could not queue re-evaluation (${failure}): ${sweep}` : undefined),
    // A queue given connection options owns its connection and closes it here.
    close: async () => {
      await queue?.close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ends the process once stdout and stderr have handed everything to their reader. Writing to a pipe
 * becomes asynchronous as soon as the pipe is full (a slow `tee`, a pager), and `process.exit` drops
 * what is still queued: invite codes are printed once and only their hashes are stored, so a line
 * lost here is a code lost for good.
 */
async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves when everything written so far has left the process (or the reader went away: nothing more can be done). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    // A closed reader (`| head`) is EPIPE: not a crash of the CLI, the output simply has nowhere to go.
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

function messageOf(error: unknown): string {
  if (error instanceof CliError || error instanceof ConfigError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    process.stderr.write(`${messageOf(error)}\n`);
    return exitAfterFlush(error instanceof CliError ? error.exitCode : 1);
  },
);
