/**
 * A terminal chat with the bot through the Bot API stand-in: you are a simulated Telegram user.
 * Bot messages are printed as they arrive (inline and reply keyboard buttons as numbered choices), files
 * the bot sends are saved under downloadsDir. Type a number to press a button (unless the step waits for a
 * typed number, see numberPressesButton), text to send it, /cmd for a command, :say TEXT to send any text
 * as it is, :help for the rest.
 *
 * Used by the demo (which starts the stand-in and the bot, then calls runTerminalChat). Run directly, it
 * starts a stand-in alone and prints its apiRoot for a bot started separately:
 *   node dist/scripts/local-chat.js   (env: STANDIN_PORT, LOCAL_CHAT_USER_ID, LOCAL_CHAT_NAME, LOCAL_CHAT_DOWNLOADS)
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { InlineKeyboardButton, KeyboardButton } from 'grammy/types';
import { BotApiStandin, SimulatedUser, type ShownMessage, type StandinEvent, type UserSpec } from '../standin';
import { safeFileName } from '../core/shared/text';

export interface TerminalChatOptions {
  standin: BotApiStandin;
  /** Who you are in the chat (a spec, or an existing simulated user). */
  user: UserSpec | SimulatedUser;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Where files the bot sends are saved. Created if missing. */
  downloadsDir: string;
  /**
   * How a Telegram client would open a Mini App for you: its URL with launch data signed for your user.
   * Without it, a web app button shows its bare URL.
   */
  openWebApp?: (url: string) => string;
  /**
   * Whether the bot's current step waits for a number the person types (a quantity at /add): then a
   * number is sent as text even when it could number a button. Without it no step is taken to wait for one.
   */
  awaitsNumber?: () => Promise<boolean>;
}

/**
 * What a line of digits does: it presses the button it numbers only when that button is among those shown
 * and the step waits for no typed number; otherwise it is text for the bot (150 at /add's quantity, with
 * only «Отмена» shown, is a quantity; so is 1 there).
 */
export function numberPressesButton(n: number, buttonsShown: number, stepAwaitsNumber: boolean): boolean {
  return !stepAwaitsNumber && Number.isInteger(n) && n >= 1 && n <= buttonsShown;
}

type Choice = { kind: 'inline'; messageId: number; button: InlineKeyboardButton } | { kind: 'reply'; button: KeyboardButton };

const HELP = [
  'Commands:',
  '  <number>            press that button of the latest buttons shown (sent as text when no such',
  '                      button is shown or the step waits for a number, e.g. a quantity)',
  '  :say <text>         send the text as it is, even a number or a line starting with / or :',
  '  /command [args]     send a bot command',
  '  any other text      send it as a message',
  '  :contact            share your own contact (your phone, your user id)',
  "  :contact +7... [Name]  share someone else's contact",
  '  :file <path>        send a document',
  '  :photo <path>       send a photo',
  '  :voice <path>       send a voice message',
  '  :buttons            show the buttons you can press',
  "  :cabinet            the chat's menu button: the cabinet's link to open in a browser",
  '  :help               this list',
  '  :quit               leave the chat',
].join('\n');

const safeName = (name: string) => safeFileName(path.basename(name));

function buttonLabel(b: KeyboardButton): string {
  return typeof b === 'string' ? b : b.text;
}

/** Runs the chat until :quit or the end of input. Never throws on bad input: it prints what went wrong. */
export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { standin, downloadsDir } = opts;
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const user = opts.user instanceof SimulatedUser ? opts.user : standin.user(opts.user);
  const say = (line: string) => {
    output.write(`${line}\n`);
  };

  /** Buttons a number can press: the newest inline keyboard the bot shows, then the current reply keyboard. */
  const choices = (): Choice[] => {
    const out: Choice[] = [];
    const shown = user.messages();
    for (let i = shown.length - 1; i >= 0; i--) {
      const markup = shown[i].reply_markup;
      if (markup && 'inline_keyboard' in markup) {
        for (const b of markup.inline_keyboard.flat()) out.push({ kind: 'inline', messageId: shown[i].message_id, button: b });
        break;
      }
    }
    const keyboard = currentReplyKeyboard();
    for (const b of keyboard) out.push({ kind: 'reply', button: b });
    return out;
  };

  const currentReplyKeyboard = (): KeyboardButton[] => user.replyKeyboard()?.keyboard.flat() ?? [];

  const describeChoice = (c: Choice, n: number): string => {
    if (c.kind === 'inline') {
      const b = c.button;
      const extra = 'url' in b ? ' 🔗' : 'web_app' in b ? ' 🌐' : '';
      return `[${n}] ${b.text}${extra}`;
    }
    const b = c.button;
    const label = buttonLabel(b);
    if (typeof b === 'object' && 'request_contact' in b && b.request_contact) return `[${n}] ${label} (📱 shares your contact)`;
    if (typeof b === 'object' && 'request_location' in b && b.request_location) return `[${n}] ${label} (📍 shares a location)`;
    return `[${n}] ${label}`;
  };

  /** Numbers mean what was printed last (a later message with buttons reprints the whole numbering). */
  let lastChoices: Choice[] = [];

  const printChoices = (message: ShownMessage | undefined) => {
    const all = choices();
    lastChoices = all;
    const markup = message?.reply_markup;
    if (message && markup && 'inline_keyboard' in markup) {
      // this message's buttons are numbered only if it is the newest one with an inline keyboard
      const first = all.findIndex((c) => c.kind === 'inline' && c.messageId === message.message_id);
      let k = 0;
      for (const row of markup.inline_keyboard) {
        const parts = row.map((b) => {
          const index = first >= 0 ? first + k : -1;
          k++;
          return index >= 0 ? describeChoice(all[index], index + 1) : `[-] ${b.text}`;
        });
        say(`   ${parts.join('  ')}`);
      }
    }
    const reply = all.map((c, i) => ({ c, n: i + 1 })).filter(({ c }) => c.kind === 'reply');
    if (reply.length) say(`   ⌨ ${reply.map(({ c, n }) => describeChoice(c, n)).join('  ')}`);
  };

  const printButtons = (message: ShownMessage) => {
    const markup = message.reply_markup;
    if (markup && ('inline_keyboard' in markup || 'keyboard' in markup)) printChoices(message);
  };

  /** Whether a button printed earlier is still there to be pressed. */
  const stillShown = (c: Choice): boolean => {
    if (c.kind === 'reply') return currentReplyKeyboard().some((b) => buttonLabel(b) === buttonLabel(c.button));
    const m = user.messages().find((x) => x.message_id === c.messageId);
    const markup = m?.reply_markup;
    return (
      !!markup && 'inline_keyboard' in markup && markup.inline_keyboard.flat().some((b) => JSON.stringify(b) === JSON.stringify(c.button))
    );
  };

  const saveFile = async (message: ShownMessage): Promise<string | undefined> => {
    let name: string | undefined;
    let label = '';
    if (message.document) {
      name = message.document.file_name ?? `document-${message.message_id}`;
      label = 'document';
    } else if (message.photo) {
      name = `photo-${message.message_id}.jpg`;
      label = 'photo';
    } else if (message.voice) {
      name = `voice-${message.message_id}.ogg`;
      label = 'voice';
    } else if (message.audio) {
      name = message.audio.file_name ?? `audio-${message.message_id}.mp3`;
      label = 'audio';
    } else if (message.video) {
      name = message.video.file_name ?? `video-${message.message_id}.mp4`;
      label = 'video';
    }
    if (!name) return undefined;
    try {
      const bytes = standin.fileOf(message);
      await fs.mkdir(downloadsDir, { recursive: true });
      const target = path.join(downloadsDir, `${message.message_id}-${safeName(name)}`);
      await fs.writeFile(target, bytes);
      return `📎 ${label} saved: ${target}`;
    } catch (e) {
      return `📎 ${label} ${name} (not saved: ${e instanceof Error ? e.message : String(e)})`;
    }
  };

  const printMessage = async (message: ShownMessage, edited: boolean) => {
    const head = edited ? `🤖 (edited #${message.message_id})` : `🤖 #${message.message_id}`;
    const body = message.text ?? message.caption ?? '';
    const lines = body.split('\n');
    say(`${head}: ${lines[0]}`);
    for (const l of lines.slice(1)) say(`   ${l}`);
    if (!edited) {
      const saved = await saveFile(message);
      if (saved) say(`   ${saved}`);
    }
    if (message.contact) say(`   👤 contact ${message.contact.first_name} ${message.contact.phone_number}`);
    printButtons(message);
  };

  // Bot output is printed in the order it happens, one event at a time.
  let printing: Promise<void> = Promise.resolve();
  const onEvent = (e: StandinEvent) => {
    if (!('chatId' in e) || e.chatId !== user.id) return;
    printing = printing
      .then(async () => {
        switch (e.type) {
          case 'message':
            await printMessage(e.message, false);
            break;
          case 'edit':
            await printMessage(e.message, true);
            break;
          case 'delete':
            say(`🗑  the bot deleted message #${e.messageId}`);
            break;
          case 'callbackAnswer':
            if (e.answer.text) say(e.answer.show_alert ? `⚠️  ${e.answer.text}` : `💬 ${e.answer.text}`);
            if (e.answer.url) say(`🔗 ${e.answer.url}`);
            break;
          case 'chatAction':
            if (e.action === 'typing') say('…');
            break;
        }
      })
      .catch((err) => say(`⚠ could not show the bot's output: ${String(err)}`));
  };
  const unsubscribe = standin.subscribe(onEvent);

  const readFileArg = async (arg: string): Promise<Buffer | undefined> => {
    const file = arg.trim().replace(/^["']|["']$/g, '');
    if (!file) {
      say('⚠ give a path, e.g. :file ./certificate.pdf');
      return undefined;
    }
    try {
      const resolved = path.resolve(file.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
      const stat = await fs.stat(resolved);
      if (!stat.isFile()) {
        say(`⚠ not a file: ${resolved}`);
        return undefined;
      }
      return await fs.readFile(resolved);
    } catch (e) {
      say(`⚠ cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return undefined;
    }
  };

  const handleLine = async (raw: string): Promise<'quit' | void> => {
    const line = raw.trim();
    if (!line) return;
    if (line === ':quit' || line === ':q' || line === ':exit') return 'quit';
    if (line === ':help' || line === ':h' || line === '?') {
      say(HELP);
      return;
    }
    if (line === ':cabinet') {
      const menu = standin.menuButton() as { type?: string; web_app?: { url: string } };
      if (menu.type === 'web_app' && menu.web_app) say(`🌐 open in a browser: ${opts.openWebApp?.(menu.web_app.url) ?? menu.web_app.url}`);
      else say('⚠ this bot has no cabinet: its menu button opens no web app (CABINET_URL is not set)');
      return;
    }
    if (line === ':buttons') {
      lastChoices = choices();
      if (!lastChoices.length) say('(no buttons)');
      else say(lastChoices.map((x, i) => describeChoice(x, i + 1)).join('  '));
      return;
    }
    if (line.startsWith(':contact')) {
      const rest = line.slice(':contact'.length).trim();
      if (!rest) {
        await user.shareContact(
          {
            phone_number: user.phoneNumber,
            first_name: user.from.first_name,
            ...(user.from.last_name ? { last_name: user.from.last_name } : {}),
            user_id: user.id,
          },
          { wait: false },
        );
        say(`(shared your contact ${user.phoneNumber})`);
        return;
      }
      const [phone, ...nameParts] = rest.split(/\s+/);
      if (!/^\+?[\d\-() ]{5,}$/.test(phone)) {
        say('⚠ usage: :contact +79001234567 [Name]');
        return;
      }
      await user.shareContact({ phone_number: phone, first_name: nameParts.join(' ') || 'Contact' }, { wait: false });
      return;
    }
    const media = /^:(file|photo|voice)(?:\s+(.*))?$/.exec(line);
    if (media) {
      const bytes = await readFileArg(media[2] ?? '');
      if (!bytes) return;
      const file = (media[2] ?? '').trim().replace(/^["']|["']$/g, '');
      if (media[1] === 'file') await user.sendDocument({ buffer: bytes, file_name: path.basename(file) }, { wait: false });
      else if (media[1] === 'photo') await user.sendPhoto({ buffer: bytes }, { wait: false });
      else await user.sendVoice({ buffer: bytes }, { wait: false });
      say(`(sent ${media[1]} ${path.basename(file)}, ${bytes.length} bytes)`);
      return;
    }
    const verbatim = /^:say(?:\s+([\s\S]*))?$/.exec(line);
    if (verbatim) {
      if (!verbatim[1]) say('⚠ usage: :say <text>');
      else await user.sendText(verbatim[1], { wait: false });
      return;
    }
    if (line.startsWith(':')) {
      say(`⚠ unknown command ${line.split(/\s/)[0]}; :help lists them`);
      return;
    }
    if (/^\d+$/.test(line)) {
      const n = Number(line);
      const choice = lastChoices[n - 1];
      const awaitsNumber = lastChoices.length > 0 && (await opts.awaitsNumber?.()) === true;
      if (!choice || !numberPressesButton(n, lastChoices.length, awaitsNumber)) {
        await user.sendText(line, { wait: false });
        return;
      }
      if (!stillShown(choice)) {
        say(`⚠ button ${n} is no longer shown; :buttons lists the current ones`);
        return;
      }
      if (choice.kind === 'inline') {
        const b = choice.button;
        if ('callback_data' in b) {
          await user.pressButton({ messageId: choice.messageId, data: b.callback_data }, { wait: false });
        } else if ('url' in b) say(`🔗 ${b.url}`);
        else if ('web_app' in b) say(`🌐 open in a browser: ${opts.openWebApp?.(b.web_app.url) ?? b.web_app.url}`);
        else say('⚠ this kind of button cannot be pressed here');
        return;
      }
      await user.pressReplyButton(buttonLabel(choice.button), { wait: false });
      return;
    }
    if (line.startsWith('/')) {
      const [cmd, ...rest] = line.split(/\s+/);
      await user.sendCommand(cmd, rest.join(' '), { wait: false });
      return;
    }
    await user.sendText(line, { wait: false });
  };

  const rl = readline.createInterface({ input, output, terminal: false });
  say(`Chatting with @${standin.botUser.username} as ${user.from.first_name} (id ${user.id}). Type :help for commands.`);
  // show what the bot already shows (a restart of the terminal in a running demo)
  for (const m of user.messages()) await printMessage(m, false);

  await new Promise<void>((resolve) => {
    let chain: Promise<void> = Promise.resolve();
    let done = false;
    let quitting = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    rl.on('line', (line) => {
      chain = chain.then(async () => {
        if (done || quitting) return;
        try {
          if ((await handleLine(line)) === 'quit') {
            quitting = true;
            rl.close();
          }
        } catch (e) {
          say(`⚠ ${e instanceof Error ? e.message : String(e)}`);
        }
      });
    });
    rl.on('close', () => {
      void chain.then(() => printing).then(finish, finish);
    });
  });
  unsubscribe();
  say('Bye.');
}

async function main(): Promise<void> {
  const standin = new BotApiStandin();
  const { apiRoot } = await standin.start(Number(process.env.STANDIN_PORT ?? 8081));
  process.stdout.write(`Bot API stand-in at ${apiRoot} — start the bot with client.apiRoot = ${apiRoot}\n`);
  try {
    await runTerminalChat({
      standin,
      user: {
        id: Number(process.env.LOCAL_CHAT_USER_ID ?? 100001),
        first_name: process.env.LOCAL_CHAT_NAME ?? 'Local User',
        language_code: process.env.LOCAL_CHAT_LANG ?? 'ru',
      },
      downloadsDir: process.env.LOCAL_CHAT_DOWNLOADS ?? path.resolve('downloads', 'local-chat'),
    });
  } finally {
    await standin.stop();
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
