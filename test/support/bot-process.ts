import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { followChildOutput } from './spec-log';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The bot as production runs it (bot/main.ts in a process of its own, compiled on load by @swc/core),
 * for tests that kill it, stop it, or read every line it logs.
 */
export class BotProcess {
  /** Every line written to stdout or stderr, in order. */
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    env: Record<string, string>,
    private readonly name = 'bot',
  ) {
    this.child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/swc-register.js'), path.join(ROOT, 'bot/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) followChildOutput(stream, this.name, (line) => this.lines.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until GET /ready answers 200 (the bot registered its webhook or started polling). */
  async ready(baseUrl: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.lines.slice(-20).join('\n')}`);
      const ok = await fetch(`${baseUrl}/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`);
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}
