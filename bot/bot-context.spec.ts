import { setFlagsFromString } from 'node:v8';
import { Api, type StorageAdapter } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { BotContextClass, chatSession } from './bot-context';
import type { BotContext, SessionData } from './context';
import type { BotServices } from './services';

const me = { id: 1, is_bot: true, first_name: 'bot', username: 'nmo_bot' } as UserFromGetMe;

function contextIn(chatId: number, type: 'private' | 'supergroup' = 'private', updateId = 1): BotContextClass {
  const update: Update = {
    update_id: updateId,
    message: {
      message_id: 1,
      date: 0,
      chat: type === 'private' ? { id: chatId, type, first_name: 'A' } : { id: chatId, type, title: 'G' },
      from: { id: 5, is_bot: false, first_name: 'A' },
      text: 'hello',
    },
  };
  return new BotContextClass(update, new Api('1:x'), me);
}

/** A storage that records what the middleware did with it. */
class RecordingStorage implements StorageAdapter<SessionData> {
  readonly calls: string[] = [];
  constructor(private readonly stored = new Map<string, SessionData>()) {}
  async read(key: string) {
    this.calls.push(`read ${key}`);
    return this.stored.get(key);
  }
  async write(key: string, value: SessionData) {
    this.calls.push(`write ${key} ${JSON.stringify(value)}`);
    this.stored.set(key, value);
  }
  async delete(key: string) {
    this.calls.push(`delete ${key}`);
    this.stored.delete(key);
  }
}

const sessionOf = (storage: StorageAdapter<SessionData>) =>
  chatSession({
    initial: () => ({}),
    getSessionKey: (ctx) => (ctx.chat?.type === 'private' ? String(ctx.chat.id) : undefined),
    storage,
  });

async function run(ctx: BotContextClass, storage: StorageAdapter<SessionData>, handler: (ctx: BotContext) => unknown) {
  await sessionOf(storage)(ctx as unknown as BotContext, async () => void (await handler(ctx as unknown as BotContext)));
}

describe('BotContextClass and chatSession (grammY strict session semantics)', () => {
  it('reads the stored session before the handlers and writes back what they changed', async () => {
    const storage = new RecordingStorage(new Map([['7', { attendanceCode: { awaiting: true } }]]));
    await run(contextIn(7), storage, (ctx) => {
      expect(ctx.session).toEqual({ attendanceCode: { awaiting: true } });
      ctx.session.attendanceCode = undefined;
    });
    expect(storage.calls).toEqual(['read 7', 'write 7 {}']);
  });

  it('writes the initial session back for a chat that had none, and nothing for a session never touched', async () => {
    const fresh = new RecordingStorage();
    await run(contextIn(8), fresh, () => undefined);
    expect(fresh.calls).toEqual(['read 8', 'write 8 {}']);

    const stored = new RecordingStorage(new Map([['9', { attendanceCode: { awaiting: true } }]]));
    await run(contextIn(9), stored, () => undefined);
    expect(stored.calls).toEqual(['read 9']);
  });

  it('deletes a session set to null or undefined', async () => {
    const storage = new RecordingStorage(new Map([['10', { attendanceCode: { awaiting: true } }]]));
    await run(contextIn(10), storage, (ctx) => {
      ctx.session = null;
    });
    expect(storage.calls).toEqual(['read 10', 'delete 10']);
  });

  it('writes nothing back when a handler throws', async () => {
    const storage = new RecordingStorage(new Map([['11', {}]]));
    await expect(
      run(contextIn(11), storage, (ctx) => {
        ctx.session.attendanceCode = { awaiting: true };
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(storage.calls).toEqual(['read 11']);
  });

  it('has no session in a group (no key): reading or assigning it throws, storage is never asked', async () => {
    const storage = new RecordingStorage();
    await run(contextIn(-5, 'supergroup'), storage, (ctx) => {
      expect(() => ctx.session).toThrow('session key was undefined');
      expect(() => {
        ctx.session = {};
      }).toThrow('session key was undefined');
    });
    expect(storage.calls).toEqual([]);
  });

  it("makes the update's child logger when `log` is first read, once", () => {
    const child = jest.fn((fields: object) => ({ fields }));
    const ctx = contextIn(7, 'private', 42);
    expect(() => ctx.log).toThrow('before attachServices');
    ctx.services = { logger: { child } } as unknown as BotServices;
    expect(child).not.toHaveBeenCalled();
    expect(ctx.log).toBe(ctx.log);
    expect(child).toHaveBeenCalledTimes(1);
    expect(child).toHaveBeenCalledWith({ update_id: 42, chat_id: 7 });
  });

  it('gives every context one hidden class, whatever the handlers set and read on it', async () => {
    // What V8 sees: two contexts of one shape share a map (read through V8's own %HaveSameMap).
    setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const fastProperties = new Function('a', 'return %HasFastProperties(a)') as (a: object) => boolean;
    const storage = new RecordingStorage();
    const a = contextIn(7, 'private', 1);
    const b = contextIn(8, 'private', 2);
    for (const ctx of [a, b]) {
      ctx.services = { logger: { child: () => ({}) } } as unknown as BotServices;
      ctx.person = null;
      ctx.lang = 'en';
      await run(ctx, storage, (c) => {
        c.session.attendanceCode = { awaiting: true };
        void c.log;
      });
    }
    expect(sameMap(a, b)).toBe(true);
    expect(fastProperties(a)).toBe(true);
  });
});
