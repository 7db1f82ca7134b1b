/** scripts/local-chat.ts: the terminal chat driven through streams against a polling grammY bot. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { Bot, InlineKeyboard, InputFile, Keyboard } from 'grammy';
import { numberPressesButton, runTerminalChat } from '../scripts/local-chat';
import { BotApiStandin } from './index';

class Screen extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
  async waitFor(fragment: string | RegExp, timeoutMs = 1500): Promise<void> {
    const start = Date.now();
    const has = () => (typeof fragment === 'string' ? this.text.includes(fragment) : fragment.test(this.text));
    while (!has()) {
      if (Date.now() - start > timeoutMs) throw new Error(`screen never showed ${String(fragment)}; it shows:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

describe('runTerminalChat', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-chat-'));
  let standin: BotApiStandin;
  let bot: Bot;

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    standin = new BotApiStandin();
    const { apiRoot } = await standin.start();
    bot = new Bot('42:LOCAL', { client: { apiRoot } });
    bot.command('start', async (ctx) => {
      await ctx.reply('Выберите язык', { reply_markup: new InlineKeyboard().text('Русский', 'ru').text('English', 'en') });
      await ctx.reply('Поделитесь номером', { reply_markup: new Keyboard().requestContact('📱 Номер').text('Помощь').resized() });
    });
    bot.callbackQuery(['ru', 'en'], async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Сохранено' });
      await ctx.editMessageText(`Язык: ${ctx.callbackQuery.data}`);
    });
    bot.on('message:contact', (ctx) =>
      ctx.reply(ctx.msg.contact.user_id === ctx.from.id ? `свой ${ctx.msg.contact.phone_number}` : `чужой ${ctx.msg.contact.phone_number}`),
    );
    bot.on('message:document', (ctx) =>
      ctx.replyWithDocument(new InputFile(Buffer.from('PDF-1.4 fake'), 'отчёт.pdf'), { caption: 'Ваш отчёт' }),
    );
    bot.command('cabinet', (ctx) =>
      ctx.reply('Кабинет', { reply_markup: new InlineKeyboard().webApp('Открыть кабинет', 'http://127.0.0.1:3000/cabinet/') }),
    );
    bot.on('message:text', (ctx) => ctx.reply(`эхо: ${ctx.msg.text}`));
    void bot.start({ timeout: 10 });
  });

  afterEach(async () => {
    if (bot.isRunning()) await bot.stop();
    await standin.stop();
  });

  it('prints messages with numbered buttons, presses them, shares contacts, sends and saves files', async () => {
    const input = new PassThrough();
    const screen = new Screen();
    const downloads = join(dir, 'downloads');
    const done = runTerminalChat({
      standin,
      user: { id: 900, first_name: 'Анна', phone: '79990000900' },
      input,
      output: screen,
      downloadsDir: downloads,
    });

    input.write('/start\n');
    await screen.waitFor('[1] Русский  [2] English');
    await screen.waitFor('⌨ [3] 📱 Номер (📱 shares your contact)  [4] Помощь');
    input.write('2\n');
    await screen.waitFor('💬 Сохранено');
    await screen.waitFor('(edited #2): Язык: en');
    input.write('3\n');
    await screen.waitFor('свой 79990000900');
    input.write(':contact +79115550000 Пётр\n');
    await screen.waitFor('чужой +79115550000');
    input.write('4\n');
    await screen.waitFor('эхо: Помощь');
    input.write(':file /no/such/file.pdf\n');
    await screen.waitFor('⚠ cannot read /no/such/file.pdf: ENOENT');
    input.write(':bogus\n');
    await screen.waitFor('unknown command :bogus');
    const local = join(dir, 'справка.pdf');
    writeFileSync(local, 'my certificate');
    input.write(`:file ${local}\n`);
    await screen.waitFor(/📎 document saved: (.*отчёт\.pdf)/);
    const saved = /📎 document saved: (.*)\n/.exec(screen.text)![1];
    expect(existsSync(saved)).toBe(true);
    expect(readFileSync(saved, 'utf8')).toBe('PDF-1.4 fake');
    expect(standin.calls('getUpdates').length).toBeGreaterThan(0);
    input.write('просто текст\n');
    await screen.waitFor('эхо: просто текст');
    input.write(':quit\n');
    await done;
    expect(screen.text).toContain('Bye.');
  });

  it('ends when the input ends and never crashes on bad input', async () => {
    const input = new PassThrough();
    const screen = new Screen();
    const done = runTerminalChat({ standin, user: { id: 901, first_name: 'Олег' }, input, output: screen, downloadsDir: join(dir, 'd2') });
    input.write('7\n:photo\n:help\n');
    await screen.waitFor('эхо: 7');
    await screen.waitFor('give a path');
    await screen.waitFor(':quit               leave the chat');
    input.end();
    await done;
  });

  it('opens Mini Apps as a Telegram client would: the web app button and the menu button print a signed link', async () => {
    const input = new PassThrough();
    const screen = new Screen();
    const done = runTerminalChat({
      standin,
      user: { id: 902, first_name: 'Вера' },
      input,
      output: screen,
      downloadsDir: join(dir, 'd3'),
      openWebApp: (url) => `${url}#signed-for-902`,
    });
    input.write(':cabinet\n');
    await screen.waitFor('⚠ this bot has no cabinet');
    await bot.api.setChatMenuButton({
      menu_button: { type: 'web_app', text: 'Кабинет', web_app: { url: 'http://127.0.0.1:3000/cabinet/' } },
    });
    input.write(':cabinet\n');
    await screen.waitFor('🌐 open in a browser: http://127.0.0.1:3000/cabinet/#signed-for-902');
    input.write('/cabinet\n');
    await screen.waitFor('[1] Открыть кабинет 🌐');
    input.write('1\n');
    await screen.waitFor(/🌐 open in a browser: .*\n[\s\S]*🌐 open in a browser: http:\/\/127\.0\.0\.1:3000\/cabinet\/#signed-for-902/);
    input.end();
    await done;
  });

  it('a number beyond the buttons shown, or one the step waits for, goes as text; :say always sends text', async () => {
    let stepAwaitsNumber = false;
    const input = new PassThrough();
    const screen = new Screen();
    const done = runTerminalChat({
      standin,
      user: { id: 903, first_name: 'Инна' },
      input,
      output: screen,
      downloadsDir: join(dir, 'd4'),
      awaitsNumber: async () => stepAwaitsNumber,
    });
    input.write('/start\n');
    await screen.waitFor('⌨ [3] 📱 Номер (📱 shares your contact)  [4] Помощь', 10_000);
    input.write('150\n');
    await screen.waitFor('эхо: 150', 10_000);
    stepAwaitsNumber = true;
    input.write('2\n');
    await screen.waitFor('эхо: 2', 10_000);
    expect(screen.text).not.toContain('💬 Сохранено');
    input.write(':say 4\n');
    await screen.waitFor('эхо: 4', 10_000);
    input.write(':say :quit\n');
    await screen.waitFor('эхо: :quit', 10_000);
    input.write(':say\n');
    await screen.waitFor('⚠ usage: :say <text>', 10_000);
    stepAwaitsNumber = false;
    input.write('2\n');
    await screen.waitFor('💬 Сохранено', 10_000);
    input.end();
    await done;
  });
});

describe('numberPressesButton', () => {
  it('presses only a button among those shown, and only when the step waits for no number', () => {
    expect(numberPressesButton(1, 1, false)).toBe(true);
    expect(numberPressesButton(3, 3, false)).toBe(true);
    expect(numberPressesButton(4, 3, false)).toBe(false);
    expect(numberPressesButton(0, 3, false)).toBe(false);
    expect(numberPressesButton(150, 1, false)).toBe(false);
    expect(numberPressesButton(1, 1, true)).toBe(false);
    expect(numberPressesButton(1, 0, false)).toBe(false);
  });
});
