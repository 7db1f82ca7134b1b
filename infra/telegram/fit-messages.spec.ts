import { Api, InlineKeyboard, InputFile } from 'grammy';
import { BotApiStandin } from '../../standin';
import { fitMessages } from './fit-messages';

const TOKEN = '123456:FIT-token';

/**
 * The guard every message we compose passes on its way to Telegram (bot and worker): against the Bot API
 * stand-in, which refuses what Telegram refuses ("message is too long", "message caption is too long").
 */
describe('messages longer than Telegram takes are sent whole, never refused', () => {
  let standin: BotApiStandin;
  let api: Api;
  const warnings: unknown[] = [];

  beforeAll(async () => {
    standin = new BotApiStandin({ token: TOKEN });
    const { apiRoot } = await standin.start();
    api = new Api(TOKEN, { apiRoot });
    api.config.use(fitMessages({ warn: (entry: unknown) => void warnings.push(entry) } as never));
  });

  afterAll(async () => {
    await standin.stop();
  });

  it('an HTML message of 9,000 visible characters arrives as three, formatting kept, the buttons under the last', async () => {
    const user = standin.user({ id: 41, first_name: 'Анна' });
    const lines = Array.from({ length: 300 }, (_, i) => `<b>${String(i + 1).padStart(3, '0')}.</b> Иванова &amp; Петрова — курс`);
    const keyboard = new InlineKeyboard().text('Дальше', 'next');
    await api.sendMessage(41, lines.join('\n'), { parse_mode: 'HTML', reply_markup: keyboard });
    const shown = user.messages();
    expect(shown.length).toBe(3);
    expect(shown.every((m) => (m.text ?? '').length <= 4096)).toBe(true);
    expect(shown.map((m) => m.text).join('\n')).toBe(lines.map((l) => l.replace(/<\/?b>/g, '').replace('&amp;', '&')).join('\n'));
    expect(shown.map((m) => m.reply_markup !== undefined)).toEqual([false, false, true]);
    expect(shown[1].entities?.[0]).toMatchObject({ type: 'bold', offset: 0 });
    expect(warnings).toHaveLength(1);
  });

  it('a plain text with formatting entities is split with them', async () => {
    const user = standin.user({ id: 42, first_name: 'Борис' });
    const text = 'слово '.repeat(1500).trim();
    await api.sendMessage(42, text, { entities: [{ type: 'italic', offset: 8000, length: 100 }] });
    const shown = user.messages();
    expect(shown.map((m) => m.text).join(' ')).toBe(text);
    expect(shown.flatMap((m) => m.entities ?? [])).toHaveLength(1);
  });

  it('an edit, which cannot become two messages, is cut with «…»; so is a caption', async () => {
    const user = standin.user({ id: 43, first_name: 'Вера' });
    const sent = await api.sendMessage(43, 'коротко');
    await api.editMessageText(43, sent.message_id, `<i>${'а'.repeat(5000)}</i>`, { parse_mode: 'HTML' });
    expect(user.messages()[0].text).toHaveLength(4096);
    expect(user.messages()[0].text!.endsWith('…')).toBe(true);
    await api.sendDocument(43, new InputFile(Buffer.from('%PDF-1.4'), 'отчёт.pdf'), { caption: 'подпись '.repeat(200) });
    expect(user.messages()[1].caption!.length).toBeLessThanOrEqual(1024);
    expect(user.messages()[1].caption!.endsWith('…')).toBe(true);
  });

  it('leaves messages that fit as they are', async () => {
    const user = standin.user({ id: 44, first_name: 'Галина' });
    const warned = warnings.length;
    await api.sendMessage(44, '<b>Привет</b>', { parse_mode: 'HTML' });
    // 4,096 units exactly, and markup longer than the limit whose visible text fits: one message each.
    await api.sendMessage(44, 'я'.repeat(4096));
    await api.sendMessage(44, '<b>&amp;</b>'.repeat(1000), { parse_mode: 'HTML' });
    expect(user.messages().map((m) => m.text)).toEqual(['Привет', 'я'.repeat(4096), '&'.repeat(1000)]);
    expect(warnings).toHaveLength(warned);
  });
});
