import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import { createTelegramApi } from '../telegram-api';
import { SendSlots, TELEGRAM_CHAT_LIMITS } from './send-slots';

describe('a chat’s send slot runs from when its message leaves', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(() => redis.disconnect());

  it('keeps the chat closed for a whole interval from the leaving, however long after the booking', async () => {
    const slots = new SendSlots(redis, testRedisPrefix(), { perSecond: 25, ...TELEGRAM_CHAT_LIMITS });
    expect(await slots.reserve(7n)).toEqual({ go: true, inMs: 0 });
    // The claim's write and the budget took most of the interval (a busy moment): counted from the
    // booking, the chat would open again ~300 ms after the message left.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await slots.leaving(7n);
    const next = await slots.reserve(7n);
    expect(next.go).toBe(false);
    expect(next.go === false && next.retryInMs).toBeGreaterThan(600);
    // Other chats are not held by it.
    expect((await slots.reserve(8n)).go).toBe(true);
  });
});

describe('TelegramApi.forDelivery: the leaving note', () => {
  let server: Server;
  let apiRoot: string;
  const methods: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      methods.push(req.url?.split('/').pop() ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 5, type: 'private' } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is told of each message-creating call to its chat, and a failed note holds nothing up', async () => {
    const left: Array<number | string> = [];
    const api = createTelegramApi('1:token', apiRoot).forDelivery({ chatId: null, messageId: null }, async (chatId) => {
      left.push(chatId);
      throw new Error('Redis away');
    });
    await api.sendChatAction(5, 'typing');
    await api.sendMessage(5, 'first');
    await api.editMessageText(5, 1, 'edited');
    await api.sendMessage(5, 'second');
    expect(methods.slice(-4)).toEqual(['sendChatAction', 'sendMessage', 'editMessageText', 'sendMessage']);
    expect(left).toEqual([5, 5]);
  });
});
