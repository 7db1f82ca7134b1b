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

/**
 * Follows what a child process the spec started writes on `stream` (its log): each line goes to the spec's
 * log file under `name` and to `onLine`; with TEST_LOG_LEVEL set, to the terminal instead of the file.
 */
export function followChildOutput(
  stream: NodeJS.ReadableStream | null,
  name: string,
  onLine: (line: string) => void = () => undefined,
): void {
  const file = process.env.TEST_LOG_LEVEL ? undefined : currentSpecLogFile();
  if (file) mkdirSync(path.dirname(file), { recursive: true });
  const take = (lines: string[]) => {
    for (const line of lines) onLine(line);
    if (file && lines.length > 0) appendFileSync(file, lines.map((line) => `[${name}] ${line}\n`).join(''));
  };
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    take(parts.filter(Boolean));
  });
  stream?.on('end', () => {
    if (rest) take([rest]);
    rest = '';
  });
}
