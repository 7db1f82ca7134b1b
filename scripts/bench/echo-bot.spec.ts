import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitUntil } from '../../test/support/eventually';
import { freePort } from '../services/free-port';
import { BotApiStandin } from '../../standin';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = '123456:ECHO-bench';

/**
 * The inbound bench's baseline (echo-bot.ts) lives through a failed reply: a run once lost its echo at
 * 1,000/s when the stand-in reset a kept-alive connection, and every ratio after it was void.
 */
describe('the bench’s echo bot', () => {
  let standin: BotApiStandin;
  let echo: ChildProcess | undefined;

  afterAll(async () => {
    echo?.kill('SIGKILL');
    await standin?.stop();
  });

  it('answers the next message after a reply the Bot API dropped, still running', async () => {
    standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 30_000 });
    const { apiRoot } = await standin.start();
    const port = await freePort();
    echo = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/swc-register.js'), path.join(ROOT, 'scripts/bench/echo-bot.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        HTTP_PORT: String(port),
        WEBHOOK_URL: `http://127.0.0.1:${port}/`,
      },
      stdio: 'ignore',
    });
    await waitUntil(() => standin.webhookInfo().url !== '', 'the echo’s webhook', 60_000);
    const anna = standin.user({ id: 61, first_name: 'Анна' });

    standin.failNext('sendMessage', { reset: true });
    await anna.sendText('первое');
    await anna.sendText('второе');
    await waitUntil(() => anna.messages().some((m) => m.text === 'второе'), 'the second echo');

    expect(anna.messages().map((m) => m.text)).toEqual(['второе']);
    expect(echo.exitCode).toBeNull();
    expect(echo.signalCode).toBeNull();
  });
});
