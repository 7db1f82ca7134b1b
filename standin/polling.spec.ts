/** The stand-in with a real grammY bot in long-polling mode (bot.start against apiRoot). */
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot, GrammyError, InlineKeyboard, InputFile, Keyboard, type Context } from 'grammy';
import { hydrateFiles, type FileFlavor } from '@grammyjs/files';
import { BotApiStandin } from './index';

const TOKEN = '123456:TEST-polling';

type Ctx = FileFlavor<Context>;

describe('BotApiStandin with a polling grammY bot', () => {
  let standin: BotApiStandin;
  let bot: Bot<Ctx>;
  let apiRoot: string;
  const botErrors: unknown[] = [];
  // @grammyjs/files downloads over https only; with localFilesDir the stand-in answers absolute paths as a
  // local Bot API server does, and download() copies the file
  const filesDir = mkdtempSync(join(tmpdir(), 'standin-files-'));

  afterAll(() => rmSync(filesDir, { recursive: true, force: true }));

  beforeEach(async () => {
    standin = new BotApiStandin({ botUsername: 'nmo_polling_bot', localFilesDir: filesDir });
    ({ apiRoot } = await standin.start());
    bot = new Bot<Ctx>(TOKEN, { client: { apiRoot } });
    bot.api.config.use(hydrateFiles(bot.token, { apiRoot }));
    bot.catch((err) => {
      botErrors.push(err.error);
    });
  });

  afterEach(async () => {
    if (bot.isRunning()) await bot.stop();
    await standin.stop();
    botErrors.length = 0;
  });

  function startBot(): void {
    void bot.start({ timeout: 10 });
  }

  it('answers getMe with the configured username and a command round trip', async () => {
    bot.command('start', (ctx) => ctx.reply(`Привет, ${ctx.from?.first_name}! payload=${ctx.match}`));
    startBot();
    const anna = standin.user({ id: 42, first_name: 'Anna', language_code: 'ru' });
    const update = await anna.sendCommand('/start', 'ref_7');
    expect(update.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await anna.nextBotMessage();
    expect(reply.text).toBe('Привет, Anna! payload=ref_7');
    expect(reply.from?.username).toBe('nmo_polling_bot');
    expect(standin.calls('getMe')).toHaveLength(1);
    const send = standin.calls('sendMessage')[0];
    expect(send.chatId).toBe(42);
    expect(send.params.text).toBe('Привет, Anna! payload=ref_7');
  });

  it('presses an inline button, records answerCallbackQuery and reflects the edit in messages()', async () => {
    bot.command('lang', (ctx) =>
      ctx.reply('Выберите язык / Choose a language', {
        reply_markup: new InlineKeyboard().text('Русский', 'lang:ru').text('English', 'lang:en'),
      }),
    );
    bot.callbackQuery(/^lang:(\w+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `ok ${ctx.match[1]}` });
      await ctx.editMessageText(`<b>Language</b>: ${ctx.match[1]}`, { parse_mode: 'HTML' });
    });
    startBot();
    const user = standin.user({ id: 7, first_name: 'Ivan' });
    await user.sendCommand('lang');
    const menu = await user.nextBotMessage();
    expect(menu.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Русский', callback_data: 'lang:ru' },
          { text: 'English', callback_data: 'lang:en' },
        ],
      ],
    });
    const queryId = await user.pressButton('English');
    const answer = await user.waitForAnswer(queryId);
    expect(answer.text).toBe('ok en');
    const edit = await user.waitForReply();
    expect(edit.method).toBe('editMessageText');
    const shown = user.messages();
    expect(shown).toHaveLength(1);
    expect(shown[0].message_id).toBe(menu.message_id);
    expect(shown[0].text).toBe('Language: en');
    expect(shown[0].entities).toEqual([{ type: 'bold', offset: 0, length: 8 }]);
    // an edit without reply_markup removes the inline keyboard, as on Telegram
    expect(shown[0].reply_markup).toBeUndefined();
    expect(shown[0].edit_date).toEqual(expect.any(Number));
    await expect(user.pressButton('English')).rejects.toThrow(/no inline button "English"/);
    expect(botErrors).toEqual([]);
  });

  it("request_contact reply button sends the own contact; shareContact sends someone else's", async () => {
    bot.command('phone', (ctx) =>
      ctx.reply('Отправьте номер', { reply_markup: new Keyboard().requestContact('📱 Отправить номер').resized().oneTime() }),
    );
    bot.on('message:contact', (ctx) => {
      const c = ctx.msg.contact;
      const own = c.user_id === ctx.from.id;
      return ctx.reply(own ? `own ${c.phone_number}` : `foreign ${c.phone_number}`, { reply_markup: { remove_keyboard: true } });
    });
    startBot();
    const user = standin.user({ id: 1001, first_name: 'Olga', phone: '79991234567' });
    await user.sendCommand('phone');
    const prompt = await user.nextBotMessage();
    expect(prompt.reply_markup).toMatchObject({ keyboard: [[{ text: '📱 Отправить номер', request_contact: true }]] });
    const update = await user.pressReplyButton('📱 Отправить номер');
    expect(update.message?.contact).toEqual({ phone_number: '79991234567', first_name: 'Olga', user_id: 1001 });
    expect((await user.nextBotMessage()).text).toBe('own 79991234567');
    await user.shareContact({ phone_number: '+79110000000', first_name: 'Someone' });
    expect((await user.nextBotMessage()).text).toBe('foreign +79110000000');
    expect(() => user.pressReplyButton('📱 Отправить номер')).toThrow(/no reply keyboard/);
  });

  it('takes a document from the user, lets the bot getFile + download it and stores what the bot uploads', async () => {
    bot.on('message:document', async (ctx) => {
      const file = await ctx.getFile();
      const path = await file.download();
      const content = await fs.readFile(path, 'utf8');
      await fs.unlink(path);
      await ctx.replyWithDocument(new InputFile(Buffer.from(content.toUpperCase()), 'upper.txt'), {
        caption: `got ${ctx.msg.document.file_name}`,
      });
    });
    startBot();
    const user = standin.user({ id: 55, first_name: 'Petr' });
    const update = await user.sendDocument({ buffer: Buffer.from('справка о баллах'), file_name: 'справка.txt' });
    expect(update.message?.document).toMatchObject({
      file_name: 'справка.txt',
      mime_type: 'text/plain',
      file_size: Buffer.byteLength('справка о баллах'),
    });
    const reply = await user.nextBotMessage();
    expect(reply.caption).toBe('got справка.txt');
    expect(reply.document).toMatchObject({ file_name: 'upper.txt', mime_type: 'text/plain' });
    expect(user.fileOf(reply).toString('utf8')).toBe('СПРАВКА О БАЛЛАХ');
    const call = standin.calls('sendDocument')[0];
    expect(call.params.document).toMatchObject({ upload: true, file_name: 'upper.txt', size: Buffer.byteLength('СПРАВКА О БАЛЛАХ') });
    expect(standin.calls('getFile')[0].result).toMatchObject({ file_path: expect.stringMatching(/\/documents\/file_\d+\.txt$/) });
    // the bot can resend by file_id
    const resent = await bot.api.sendDocument(55, reply.document!.file_id);
    expect(resent.document?.file_unique_id).toBe(reply.document!.file_unique_id);
    await expect(bot.api.sendPhoto(55, reply.document!.file_id)).rejects.toThrow(/can't use file of type Document as Photo/);
  });

  it('shows a failNext 429 to the bot as a GrammyError with retry_after', async () => {
    const seen: GrammyError[] = [];
    bot.command('ping', async (ctx) => {
      try {
        await ctx.reply('pong');
      } catch (e) {
        if (e instanceof GrammyError) seen.push(e);
        await ctx.reply('pong after retry');
      }
    });
    startBot();
    standin.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    const user = standin.user({ id: 9, first_name: 'Nina' });
    await user.sendCommand('ping');
    expect((await user.nextBotMessage()).text).toBe('pong after retry');
    expect(seen).toHaveLength(1);
    expect(seen[0].error_code).toBe(429);
    expect(seen[0].parameters.retry_after).toBe(3);
    expect(standin.stats()).toMatchObject({ injected: 1, sent: 1 });
    const failed = standin.calls('sendMessage').filter((c) => !c.ok);
    expect(failed[0].error).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
  });

  it('hands the same update_id again when it is redelivered before being confirmed', async () => {
    const seenIds: number[] = [];
    bot.on('message:text', (ctx) => {
      seenIds.push(ctx.update.update_id);
    });
    startBot();
    const user = standin.user({ id: 31, first_name: 'Rita' });
    const update = await user.sendText('hello');
    await waitUntil(() => seenIds.length === 1);
    const again = await standin.deliverRaw(update);
    expect(again.via).toBe('getUpdates');
    await waitUntil(() => seenIds.length === 2);
    expect(seenIds).toEqual([update.update_id, update.update_id]);
  });

  it('validates like Telegram: long text, bad HTML, unknown chat, callback_data size, unknown method', async () => {
    standin.user({ id: 5, first_name: 'Val' });
    await expect(bot.api.sendMessage(5, 'x'.repeat(4097))).rejects.toThrow('Bad Request: message is too long');
    await expect(bot.api.sendMessage(5, '')).rejects.toThrow('Bad Request: message text is empty');
    await expect(bot.api.sendMessage(5, 'a<br>b', { parse_mode: 'HTML' })).rejects.toThrow(
      /can't parse entities: Unsupported start tag "br"/,
    );
    await expect(bot.api.sendMessage(5, '<b>x', { parse_mode: 'HTML' })).rejects.toThrow(
      /Can't find end tag corresponding to start tag "b"/,
    );
    await expect(bot.api.sendMessage(404, 'hi')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
    await expect(bot.api.sendMessage(5, 'hi', { reply_markup: new InlineKeyboard().text('x', 'y'.repeat(65)) })).rejects.toThrow(
      'BUTTON_DATA_INVALID',
    );
    await expect(bot.api.raw.getMe()).resolves.toMatchObject({ username: 'nmo_polling_bot', is_bot: true });
    const res = await fetch(`${apiRoot}/bot${TOKEN}/noSuchMethod`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    const sent = await bot.api.sendMessage(5, 'a &amp; <i>b</i> &#x1F600;', { parse_mode: 'HTML' });
    expect(sent.text).toBe('a & b 😀');
    expect(sent.entities).toEqual([{ type: 'italic', offset: 4, length: 1 }]);
    await expect(bot.api.editMessageText(5, sent.message_id, 'a & b 😀', { entities: sent.entities })).rejects.toThrow(
      /message is not modified/,
    );
    await bot.api.deleteMessage(5, sent.message_id);
    await expect(bot.api.deleteMessage(5, sent.message_id)).rejects.toThrow('Bad Request: message to delete not found');
    expect(standin.messages(5)).toEqual([]);
  });

  it('stores commands per scope and language, and answers getUpdates with 409 while a webhook is set', async () => {
    await bot.api.setMyCommands([{ command: 'start', description: 'Начать' }]);
    await bot.api.setMyCommands([{ command: 'start', description: 'Start' }], { language_code: 'en' });
    await bot.api.setMyCommands([{ command: 'admin', description: 'Админка' }], { scope: { type: 'chat', chat_id: 5 } });
    expect(await bot.api.getMyCommands()).toEqual([{ command: 'start', description: 'Начать' }]);
    expect(await bot.api.getMyCommands({ language_code: 'en' })).toEqual([{ command: 'start', description: 'Start' }]);
    expect(await bot.api.getMyCommands({ scope: { type: 'chat', chat_id: 5 } })).toEqual([{ command: 'admin', description: 'Админка' }]);
    await bot.api.deleteMyCommands({ language_code: 'en' });
    expect(await bot.api.getMyCommands({ language_code: 'en' })).toEqual([]);
    await expect(bot.api.setMyCommands([{ command: 'Bad-Name', description: 'x' }])).rejects.toThrow('BOT_COMMAND_INVALID');
    await bot.api.setChatMenuButton({ menu_button: { type: 'commands' } });
    expect(standin.menuButton()).toEqual({ type: 'commands' });

    await bot.api.setWebhook('http://127.0.0.1:9/never');
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    expect((await bot.api.getWebhookInfo()).url).toBe('http://127.0.0.1:9/never');
    await bot.api.deleteWebhook();
    await expect(bot.api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 1500): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
