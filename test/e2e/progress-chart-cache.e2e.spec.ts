import { Redis } from 'ioredis';
import type { SimulatedUser, UploadedFileParam } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The /credits chart is drawn once per (balance, day, language) and then sent by its Telegram file_id,
 * from Redis so that every replica reuses it (issue #14): after an announcement a thousand people open
 * /credits at once, and nobody should wait on drawing a picture the bot already drew.
 */
describe('the progress chart is drawn once, then sent by its file_id', () => {
  let system: RunningSystem;
  let redis: Redis;
  let anna: SimulatedUser;
  let olga: SimulatedUser;

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-05-10T09:00:00Z') });
    redis = new Redis(system.config.REDIS_URL!);
    const fields = { lastAccreditationDate: new Date('2023-03-15T00:00:00Z'), category: 'NURSE' as const };
    await createLinkedPerson(system, 6101, { ...fields, fullName: 'Иванова Анна Петровна' });
    await createLinkedPerson(system, 6102, { ...fields, fullName: 'Смирнова Ольга Ивановна' });
    anna = system.standin.user({ id: 6101, first_name: 'Анна', language_code: 'ru' });
    olga = system.standin.user({ id: 6102, first_name: 'Ольга', language_code: 'ru' });
  });

  afterAll(async () => {
    redis?.disconnect();
    await system?.stop();
  });

  /** Opens /credits and tells how the chart went out: the file_id sent, or 'upload' for a new drawing. */
  async function chartOf(user: SimulatedUser): Promise<{ sent: string | 'upload'; fileId: string }> {
    await user.sendCommand('/credits');
    const call = await user.waitForReply({ methods: ['sendPhoto'], timeoutMs: 60_000 });
    const photo = call.params.photo as string | UploadedFileParam;
    const result = call.result as { photo: Array<{ file_id: string }> };
    return { sent: typeof photo === 'string' ? photo : 'upload', fileId: result.photo.at(-1)!.file_id };
  }

  it('draws the first chart, and sends the same chart again by file_id, to her and to a colleague with the same figures', async () => {
    const first = await chartOf(anna);
    expect(first.sent).toBe('upload');
    expect((await chartOf(anna)).sent).toBe(first.fileId);
    expect((await chartOf(olga)).sent).toBe(first.fileId);
    expect(anna.lastBotMessage()?.caption).toBe('📈 Ваши баллы за цикл и нужный темп.');
  });

  it('draws anew on another day and in another language', async () => {
    const before = await chartOf(anna);
    system.clock.advance(24 * 3600 * 1000);
    const nextDay = await chartOf(anna);
    expect(nextDay.sent).toBe('upload');
    expect(nextDay.fileId).not.toBe(before.fileId);

    await system.db.person.updateMany({ where: { telegramIdentities: { some: { telegramUserId: 6101n } } }, data: { language: 'en' } });
    const english = await chartOf(anna);
    expect(english.sent).toBe('upload');
    expect(anna.lastBotMessage()?.caption).not.toBe('📈 Ваши баллы за цикл и нужный темп.');
    expect((await chartOf(anna)).sent).toBe(english.fileId);
  });

  it('draws again when Telegram no longer knows the remembered file, and remembers the new one', async () => {
    const keys = await redis.keys(`${system.config.REDIS_PREFIX}:chart:*`);
    expect(keys.length).toBeGreaterThan(0);
    const known = await redis.mget(...keys);
    // Telegram lost every chart sent so far; the bot still holds their file_ids (Redis and its own memory).
    for (const fileId of known) expect(system.standin.forgetFile(fileId!)).toBe(true);
    const since = system.standin.callCount();
    const redrawn = await chartOf(olga);
    expect(redrawn.sent).toBe('upload');
    // The send by the old file_id was refused, and the chart went out drawn anew.
    const sends = system.standin.calls('sendPhoto').filter((c) => c.index >= since && c.chatId === 6102);
    expect(sends.map((c) => [typeof c.params.photo === 'string' ? 'file_id' : 'upload', c.ok])).toEqual([
      ['file_id', false],
      ['upload', true],
    ]);
    expect(known).not.toContain(redrawn.fileId);
    expect((await chartOf(olga)).sent).toBe(redrawn.fileId);
  });

  it('sends a chart it has sent before without asking Redis: the file_id is kept in the bot', async () => {
    const first = await chartOf(anna);
    // Redis forgets the charts (a flush, the keys expired): the bot's own memory still has hers.
    for (const key of await redis.keys(`${system.config.REDIS_PREFIX}:chart:*`)) await redis.del(key);
    expect((await chartOf(anna)).sent).toBe(first.fileId);
  });
});
