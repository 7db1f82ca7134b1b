import { Api, Composer, Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { installDirectComposition } from './grammy-composition';

installDirectComposition();

const me = { id: 1, is_bot: true, first_name: 'bot', username: 'nmo_bot' } as UserFromGetMe;

function contextOf(text: string, chatType: 'private' | 'supergroup' = 'private'): Context {
  const update: Update = {
    update_id: 1,
    message: {
      message_id: 1,
      date: 0,
      chat: chatType === 'private' ? { id: 5, type: 'private', first_name: 'A' } : { id: -5, type: 'supergroup', title: 'G' },
      from: { id: 5, is_bot: false, first_name: 'A' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0].length }] } : {}),
    },
  };
  return new Context(update, new Api('1:x'), me);
}

/** Runs the composer on a text and tells which handlers answered, in order. */
async function answered(composer: Composer<Context>, text: string, chatType?: 'private' | 'supergroup'): Promise<string[]> {
  const seen: string[] = [];
  const ctx = contextOf(text, chatType);
  (ctx as unknown as { seen: string[] }).seen = seen;
  await composer.middleware()(ctx, async () => void seen.push('next'));
  return seen;
}

const mark = (name: string) => (ctx: Context) => void (ctx as unknown as { seen: string[] }).seen.push(name);

describe('grammY composition, direct', () => {
  it('runs the first matching handler and nothing after it; what matches nothing goes on', async () => {
    const composer = new Composer<Context>();
    const privateChats = composer.chatType('private');
    privateChats.command('help', mark('help'));
    privateChats.command('credits', mark('credits'));
    composer.on('message:text', mark('text'));
    expect(await answered(composer, '/credits')).toEqual(['credits']);
    expect(await answered(composer, '/help')).toEqual(['help']);
    expect(await answered(composer, 'hello')).toEqual(['text']);
    expect(await answered(composer, '/help', 'supergroup')).toEqual(['text']);
    const empty = new Composer<Context>();
    empty.command('help', mark('help'));
    expect(await answered(empty, 'hello')).toEqual(['next']);
  });

  it('awaits an async predicate, both ways, and passes a handler that calls next on', async () => {
    const composer = new Composer<Context>();
    composer.filter(async (ctx) => ctx.message?.text === 'yes', mark('async yes'));
    composer.filter(
      async () => false,
      () => {
        throw new Error('never');
      },
    );
    composer.filter(
      (ctx) => ctx.message?.text === 'on',
      async (ctx, next) => {
        mark('first')(ctx);
        await next();
      },
    );
    composer.use(mark('last'));
    expect(await answered(composer, 'yes')).toEqual(['async yes']);
    expect(await answered(composer, 'no')).toEqual(['last']);
    expect(await answered(composer, 'on')).toEqual(['first', 'last']);
  });

  it('serves handlers added to a filtered composer after it was registered, and branch with a false side', async () => {
    const composer = new Composer<Context>();
    const later = composer.filter((ctx) => ctx.chat?.type === 'private');
    composer.branch((ctx) => ctx.message?.text === 'left', mark('true side'), mark('false side'));
    later.command('start', mark('start'));
    expect(await answered(composer, '/start')).toEqual(['start']);
    expect(await answered(composer, 'left')).toEqual(['true side']);
    expect(await answered(composer, 'right')).toEqual(['false side']);
  });

  it('rejects with a predicate that throws, sync or async, as grammY did', async () => {
    const sync = new Composer<Context>();
    sync.filter(() => {
      throw new Error('sync predicate');
    }, mark('x'));
    await expect(answered(sync, 'a')).rejects.toThrow('sync predicate');
    const async = new Composer<Context>();
    async.filter(async () => Promise.reject(new Error('async predicate')), mark('x'));
    await expect(answered(async, 'a')).rejects.toThrow('async predicate');
  });

  it('decides synchronous predicates in the same turn: an update that matches nothing reaches next with no await on the way', async () => {
    // grammY's own branch awaited every predicate and built a composer per handler passed (a microtask
    // and an allocation each); here a hundred synchronous filters cost a hundred calls.
    const composer = new Composer<Context>();
    const privateChats = composer.chatType('private');
    for (let i = 0; i < 100; i++) privateChats.command(`c${i}`, mark(`c${i}`));
    let reached = false;
    const handled = composer.middleware()(contextOf('hello'), async () => void (reached = true));
    expect(reached).toBe(true);
    await handled;
  });

  it('runs used middleware in order, each next a promise, and stops where one does not call next', async () => {
    const passing = (name: string) => (ctx: Context, next: () => Promise<void>) => {
      mark(name)(ctx);
      return next();
    };
    const composer = new Composer<Context>(passing('constructor'));
    composer.use((ctx, next) => {
      mark('sync, next returned')(ctx);
      const result = next();
      expect(result).toBeInstanceOf(Promise);
      return result;
    });
    const later = composer.use(passing('a composer that grows later'));
    composer.use(mark('the last'));
    composer.use(mark('never'));
    later.use(passing('added to it after registration'));
    expect(await answered(composer, 'x')).toEqual([
      'constructor',
      'sync, next returned',
      'a composer that grows later',
      'added to it after registration',
      'the last',
    ]);
    const through = new Composer<Context>();
    through.use(async (ctx, next) => {
      mark('one')(ctx);
      await next();
      mark('one, after the rest')(ctx);
    });
    through.use((ctx, next) => next());
    expect(await answered(through, 'x')).toEqual(['one', 'next', 'one, after the rest']);
  });

  it('turns a throw into a rejection and refuses a second next, as grammY did', async () => {
    const throwing = new Composer<Context>();
    throwing.use(() => {
      throw new Error('sync middleware');
    });
    const handled = throwing.middleware()(contextOf('x'), async () => undefined);
    expect(handled).toBeInstanceOf(Promise);
    await expect(handled).rejects.toThrow('sync middleware');

    const twice = new Composer<Context>();
    twice.use(async (_ctx, next) => {
      await next();
      await next();
    });
    twice.use((_ctx, next) => next());
    await expect(answered(twice, 'x')).rejects.toThrow('`next` already called before!');

    const caught = new Composer<Context>();
    caught.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        mark(`caught: ${(error as Error).message}`)(ctx);
      }
    });
    caught.use(() => {
      throw new Error('deep');
    });
    expect(await answered(caught, 'x')).toEqual(['caught: deep']);
  });
});
