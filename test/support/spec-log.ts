import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { specLogFile } from './spec-logs';

/** The running spec's log file, or undefined outside a spec (a script importing the support code). */
export function currentSpecLogFile(): string | undefined {
  const testPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  return testPath ? specLogFile(testPath) : undefined;
}

export interface SpecLogging {
  /** LOG_LEVEL of the processes started in process. */
  level: string;
  /** Where their log goes: undefined is stdout. */
  destination?: DestinationStream;
  /** Closes the file (the system's stop). */
  close(): void;
}

/**
 * How the bot and the worker a spec starts in its own process log: with TEST_LOG_LEVEL set, to the
 * terminal at that level, as someone debugging asks; otherwise at info into the spec's log file
 * (test-output/logs/), which the reporter in spec-logs.js prints when the spec fails.
 */
export function specLogging(): SpecLogging {
  const file = currentSpecLogFile();
  if (process.env.TEST_LOG_LEVEL || !file) return { level: process.env.TEST_LOG_LEVEL ?? 'silent', close: () => undefined };
  mkdirSync(path.dirname(file), { recursive: true });
  // Synchronous: a line is in the file when the test that caused it fails, and nothing waits in memory.
  const destination = pino.destination({ dest: file, append: true, sync: true });
  return { level: 'info', destination, close: () => destination.end() };
}

/** Adds lines a child process wrote (BotProcess) to the running spec's log file, each under its name. */
export function appendToSpecLog(name: string, lines: readonly string[]): void {
  const file = currentSpecLogFile();
  if (!file || lines.length === 0 || process.env.TEST_LOG_LEVEL) return;
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, lines.map((line) => `[${name}] ${line}\n`).join(''));
}
