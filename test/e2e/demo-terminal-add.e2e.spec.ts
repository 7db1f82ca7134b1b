import { PassThrough, Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { chatAwaitsTypedNumber } from '../../bot/wizards/typed-number';
import { runTerminalChat } from '../../scripts/local-chat';
import { testRedisUrl } from '../support/redis';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';
import { waitUntil } from '../support/eventually';

class Screen extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/**
 * The demo's terminal chat against the real bot, wired as `npm run demo` wires it: /add completes with
 * typed numbers. At the quantity step only «Отмена» is shown, so a typed 1 used to press it; now the
 * chat asks the bot's session whether the step waits for a number and sends it as the quantity.
 */
describe('the demo terminal chat completes /add', () => {
  let system: RunningSystem;
  let redis: Redis;
  const downloads = mkdtempSync(path.join(tmpdir(), 'demo-chat-'));

  beforeAll(async () => {
    system = await startSystem();
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    redis?.disconnect();
    await system?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('a quantity of 1 is a quantity, and buttons are still pressed by number where no number is asked', async () => {
    await createLinkedPerson(system, 8601, { fullName: 'Иванова Мария Петровна', category: 'NURSE' });
    const user = system.standin.user({ id: 8601, first_name: 'Мария', language_code: 'ru' });
    const input = new PassThrough();
    const screen = new Screen();
    const chat = runTerminalChat({
      standin: system.standin,
      user,
      input,
      output: screen,
      downloadsDir: downloads,
      awaitsNumber: () => chatAwaitsTypedNumber(redis, system.config, 8601),
    });
    // A bound on liveness only (the machine may be loaded), never a measure of speed.
    const shows = (fragment: string) => waitUntil(() => screen.text.includes(fragment), `the screen to show ${fragment}`, 60_000);
    const buttonNumber = async (label: string) => {
      await shows(label);
      const match = new RegExp(`\\[(\\d+)\\] ${label.replace(/[()]/g, '\\$&')}`).exec(
        screen.text.slice(screen.text.lastIndexOf(label) - 8),
      );
      if (!match) throw new Error(`no numbered button ${label} on screen:\n${screen.text}`);
      return match[1];
    };

    input.write('/add\n');
    input.write(`${await buttonNumber('Интерактивный образовательный модуль (ИОМ)')}\n`);
    await shows('Введите число от 1 до 36');
    expect(await buttonNumber('Отмена')).toBe('1');
    input.write('1\n');
    await shows('Введите дату в формате дд.мм.гггг');
    expect(screen.text).not.toContain('Добавление отменено');
    input.write('20.11.2026\n');
    input.write(`${await buttonNumber('Без документа')}\n`);
    await shows('1 час');
    input.write(`${await buttonNumber('✅ Сохранить')}\n`);
    await shows('✅ Сохранено.');
    input.end();
    await chat;

    const entries = await system.db.creditEntry.findMany({
      where: { person: { telegramIdentities: { some: { telegramUserId: 8601n } } } },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ creditTypeCode: 'iom', quantity: 1 });
  });
});
