/** The stand-in delivering updates to a real grammY webhookCallback (node http) with a secret token. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from 'grammy';
import { BotApiStandin } from './index';

const TOKEN = '654321:TEST-webhook';
const SECRET = 'webhook_secret-1';

/** 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface Hook {
  url: string;
  close(): Promise<void>;
}

async function serveWebhook(bot: Bot): Promise<Hook> {
  const handle = webhookCallback(bot, 'http', { secretToken: SECRET, onTimeout: 'return', timeoutMilliseconds: 2000 });
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('BotApiStandin with a webhook grammY bot', () => {
  let standin: BotApiStandin;
  let apiRoot: string;
  let bot: Bot;
  let hook: Hook;

  beforeEach(async () => {
    standin = new BotApiStandin({ webhookRetryDelaysMs: [20, 40] });
    ({ apiRoot } = await standin.start());
    bot = new Bot(TOKEN, { client: { apiRoot } });
  });

  afterEach(async () => {
    await standin.stop();
    await hook?.close();
  });

  async function listen(): Promise<void> {
    hook = await serveWebhook(bot);
    await bot.api.setWebhook(hook.url, { secret_token: SECRET });
  }

  it('delivers a command with the secret header; the reply is there when sendCommand resolves', async () => {
    const secrets: Array<string | undefined> = [];
    bot.command('start', (ctx) => ctx.reply('Добро пожаловать', { reply_markup: new InlineKeyboard().url('Сайт', 'https://example.org') }));
    await listen();
    const probe = http.createServer((req, res) => {
      secrets.push(req.headers['x-telegram-bot-api-secret-token'] as string | undefined);
      res.end();
    });
    const user = standin.user({ id: 100, first_name: 'Elena', username: 'elena' });
    const update = await user.sendCommand('start');
    // webhookCallback answers after the middleware ran, so the reply is already recorded
    expect(user.lastBotMessage()?.text).toBe('Добро пожаловать');
    expect(standin.calls('sendMessage')[0].params.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Сайт', url: 'https://example.org' }]],
    });
    await expect(user.pressButton('Сайт')).rejects.toThrow(/has no callback_data/);
    expect(update.update_id).toBe(1000);
    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({ url: hook.url, pending_update_count: 0, has_custom_certificate: false });
    // the header itself, seen by a plain server
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    await bot.api.setWebhook(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/`, { secret_token: SECRET });
    await user.sendText('hi');
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(secrets).toEqual([SECRET]);
  });

  it('retries a delivery the bot answered with an error, then gets 2xx (same update_id twice)', async () => {
    const seen: number[] = [];
    let failOnce = true;
    bot.on('message:text', async (ctx) => {
      seen.push(ctx.update.update_id);
      if (failOnce) {
        failOnce = false;
        throw new Error('database is down');
      }
      await ctx.reply('saved');
    });
    await listen();
    const user = standin.user({ id: 101, first_name: 'Boris' });
    const update = await user.sendText('документ');
    expect(seen).toEqual([update.update_id, update.update_id]);
    expect(user.lastBotMessage()?.text).toBe('saved');
    expect(standin.stats().webhook).toMatchObject({ delivered: 1, failedAttempts: 1 });
    expect((await bot.api.getWebhookInfo()).last_error_message).toBe('Wrong response from the webhook: 500 Internal Server Error');
  });

  it('keeps retrying while the secret is wrong (401) and delivers once the webhook is fixed', async () => {
    const texts: string[] = [];
    bot.on('message:text', (ctx) => {
      texts.push(ctx.msg.text);
    });
    hook = await serveWebhook(bot);
    await bot.api.setWebhook(hook.url, { secret_token: 'wrong_secret' });
    const user = standin.user({ id: 102, first_name: 'Vera' });
    const pending = user.sendText('первое');
    while (standin.stats().webhook.failedAttempts < 2) await new Promise((r) => setTimeout(r, 10));
    expect((await bot.api.getWebhookInfo()).last_error_message).toMatch(/^Wrong response from the webhook: 401/);
    await bot.api.setWebhook(hook.url, { secret_token: SECRET });
    await pending;
    expect(texts).toEqual(['первое']);
  });

  it('redelivers a given update as is with deliverRaw', async () => {
    const seen: number[] = [];
    bot.on('callback_query:data', async (ctx) => {
      seen.push(ctx.update.update_id);
      await ctx.answerCallbackQuery().catch(() => undefined);
    });
    bot.command('menu', (ctx) => ctx.reply('Меню', { reply_markup: new InlineKeyboard().text('Баллы', 'credits') }));
    await listen();
    const user = standin.user({ id: 103, first_name: 'Gleb' });
    await user.sendCommand('menu');
    const queryId = await user.pressButton('Баллы');
    expect(user.answerOf(queryId)).toMatchObject({ callback_query_id: queryId });
    const pressed = standin.calls('answerCallbackQuery')[0];
    expect(pressed.chatId).toBe(103);
    const original = {
      update_id: seen[0],
      callback_query: { id: 'dup-1', from: user.from, chat_instance: 'x', data: 'credits', message: user.lastBotMessage() },
    };
    const again = await standin.deliverRaw(original as never);
    expect(again).toMatchObject({ via: 'webhook', attempts: 1 });
    expect(seen).toEqual([seen[0], seen[0]]);
    // the stand-in never issued query "dup-1", so answering it fails like an expired query
    expect(standin.calls('answerCallbackQuery')[1].error?.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });

  it('takes a photo from the user, serves it over http and stores photos the bot uploads', async () => {
    bot.on('message:photo', async (ctx) => {
      const largest = ctx.msg.photo[ctx.msg.photo.length - 1];
      const file = await ctx.api.getFile(largest.file_id);
      const res = await fetch(`${apiRoot}/file/bot${TOKEN}/${file.file_path}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      await ctx.replyWithPhoto(new InputFile(bytes, 'echo.png'), { caption: `${bytes.length} bytes` });
      await ctx.replyWithVoice(new InputFile(Buffer.from('OggS-fake'), 'note.ogg'), { duration: 2 });
    });
    await listen();
    const user = standin.user({ id: 104, first_name: 'Dina' });
    const update = await user.sendPhoto({ buffer: PNG, caption: 'скан' });
    expect(update.message?.photo?.[0]).toMatchObject({ width: 1, height: 1, file_size: PNG.length });
    const [photo, voice] = user.messages();
    expect(photo.caption).toBe(`${PNG.length} bytes`);
    expect(user.fileOf(photo).equals(PNG)).toBe(true);
    expect(voice.voice).toMatchObject({ duration: 2, mime_type: 'audio/ogg' });
    expect(standin.fileOf(voice).toString()).toBe('OggS-fake');
  });

  it('executes a method returned in the webhook answer (webhook reply)', async () => {
    bot = new Bot(TOKEN, { client: { apiRoot, canUseWebhookReply: (m) => m === 'sendMessage' } });
    bot.on('message', (ctx) => ctx.reply('via webhook reply'));
    await listen();
    const user = standin.user({ id: 105, first_name: 'Egor' });
    await user.sendText('hi');
    expect((await user.nextBotMessage()).text).toBe('via webhook reply');
    expect(standin.calls('sendMessage')[0].via).toBe('webhook-reply');
  });

  it('answers 403 for a blocked user and 429 above the rate limit, with stats', async () => {
    await listen();
    standin.user({ id: 106, first_name: 'Zoya' });
    standin.user({ id: 107, first_name: 'Ilya' });
    standin.blockUser(106);
    const blocked = await bot.api.sendMessage(106, 'hi').catch((e: GrammyError) => e);
    expect(blocked).toBeInstanceOf(GrammyError);
    expect((blocked as GrammyError).error_code).toBe(403);
    expect((blocked as GrammyError).description).toBe('Forbidden: bot was blocked by the user');
    standin.unblockUser(106);
    standin.setRateLimit({ perChatPerSecond: 1 });
    await bot.api.sendMessage(107, 'one');
    const limited = (await bot.api.sendMessage(107, 'two').catch((e: GrammyError) => e)) as GrammyError;
    expect(limited.error_code).toBe(429);
    expect(limited.parameters.retry_after).toBe(1);
    expect(limited.description).toBe('Too Many Requests: retry after 1');
    await bot.api.sendMessage(106, 'other chat is fine');
    expect(standin.stats()).toMatchObject({ sent: 2, rateLimited: 1, forbidden: 1 });
    standin.failNext('*', { reset: true });
    await expect(bot.api.getMe()).rejects.toThrow();
  });

  it('simulates a forum supergroup: topics, posts in a topic, admins, deleted topic', async () => {
    bot.on('message:text', (ctx) => ctx.reply(`принято: ${ctx.msg.text}`));
    await listen();
    const group = standin.group({
      id: -1001234567890,
      title: 'Операторы',
      is_forum: true,
      admins: [
        { user: { id: 500, first_name: 'Owner' }, status: 'creator' },
        { id: 501, first_name: 'Admin' },
      ],
    });
    const topic = await bot.api.createForumTopic(group.id, 'Обращение №1');
    expect(topic).toMatchObject({ name: 'Обращение №1', icon_color: 7322096 });
    const operator = standin.user({ id: 501, first_name: 'Admin' });
    const update = await group.sendText(operator, 'ответ оператора', { message_thread_id: topic.message_thread_id });
    expect(update.message).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true });
    const inTopic = group.messages({ threadId: topic.message_thread_id });
    expect(inTopic.map((m) => m.text)).toEqual(['принято: ответ оператора']);
    expect(inTopic[0].message_thread_id).toBe(topic.message_thread_id);

    // a user's document copied into the topic keeps the file
    const patient = standin.user({ id: 502, first_name: 'Patient' });
    const doc = await patient.sendDocument({ buffer: Buffer.from('scan'), file_name: 'scan.pdf' }, { wait: false });
    const copy = await bot.api.copyMessage(group.id, patient.id, doc.message!.message_id, {
      message_thread_id: topic.message_thread_id,
      caption: 'от пациента',
    });
    const copied = group.messages({ threadId: topic.message_thread_id }).find((m) => m.message_id === copy.message_id)!;
    expect(copied).toMatchObject({ caption: 'от пациента', document: { file_name: 'scan.pdf' }, is_topic_message: true });
    expect(standin.fileOf(copied).toString()).toBe('scan');

    const admins = await bot.api.getChatAdministrators(group.id);
    expect(admins.map((a) => [a.user.id, a.status])).toEqual([
      [500, 'creator'],
      [501, 'administrator'],
      [standin.botUser.id, 'administrator'],
    ]);
    expect((await bot.api.getChatMember(group.id, 501)).status).toBe('administrator');

    await bot.api.closeForumTopic(group.id, topic.message_thread_id);
    await expect(bot.api.closeForumTopic(group.id, topic.message_thread_id)).rejects.toThrow('TOPIC_NOT_MODIFIED');
    group.deleteTopic(topic.message_thread_id);
    expect(group.messages({ threadId: topic.message_thread_id })).toEqual([]);
    await expect(bot.api.sendMessage(group.id, 'late', { message_thread_id: topic.message_thread_id })).rejects.toThrow(
      'Bad Request: message thread not found',
    );
    await expect(group.sendText(operator, 'x', { message_thread_id: topic.message_thread_id })).rejects.toThrow(/no topic/);
    await expect(bot.api.createForumTopic(operator.id, 'x')).rejects.toThrow('the chat is not a forum');
  });
});
