import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/config';
import { LogScrubber, secretsOf } from './log-safety';

export type { Logger };

/**
 * One JSON logger per process; features take child loggers (per update, per job). Whatever a caller
 * passes goes through LogScrubber (infra/log-safety.ts): no secret, context or personal value is written.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'> & Partial<Config>, name: string, destination?: DestinationStream): Logger {
  const scrub = new LogScrubber(secretsOf(config));
  const options: pino.LoggerOptions = {
    name,
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    // No serializers: pino would run them after the formatter; the formatter reduces errors at any key.
    formatters: { log: (object) => scrub.value(object) as Record<string, unknown> },
    hooks: {
      // The message itself, and any interpolation arguments, pass the same scrubber.
      logMethod(args, method) {
        return method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrub.string(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
