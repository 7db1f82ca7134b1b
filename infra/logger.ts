import pino, { type Logger } from 'pino';
import type { Config } from './config/config';

export type { Logger };

/** One JSON logger per process; features take child loggers (per update, per job). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    // Personal values never reach the logs, even when an error carries them.
    redact: {
      paths: ['*.phone', '*.phone_number', '*.snils', '*.inn', '*.contact.phone_number', 'update.message.contact'],
      censor: '[redacted]',
    },
  });
}
