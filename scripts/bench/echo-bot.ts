import { createServer } from 'node:http';
import { Bot, webhookCallback } from 'grammy';

/**
 * The bench's baseline: a bare grammY bot in webhook mode on the same Bot API stand-in, echoing every
 * message and answering every button press. What the real bot costs is printed as a ratio to this.
 * Env: TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, HTTP_PORT, WEBHOOK_URL.
 */
async function main(): Promise<void> {
  const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN!, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
  bot.on('message', (ctx) => ctx.reply(ctx.message.text ?? 'echo'));
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  await bot.init();
  const callback = webhookCallback(bot, 'http');
  // A failed reply (the stand-in resetting a kept-alive connection under load) must not end the process,
  // as an unhandled rejection would: the baseline would be gone for the rest of the run. Like any bot
  // running for real, it answers the webhook and goes on; the update counts as unanswered.
  const server = createServer((req, res) => {
    callback(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.HTTP_PORT), '127.0.0.1', resolve));
  await bot.api.setWebhook(process.env.WEBHOOK_URL!, { max_connections: 40 });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
