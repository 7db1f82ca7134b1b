import { Composer, type Context, type Middleware, type MiddlewareFn } from 'grammy';

type Predicate = (ctx: Context) => boolean | Promise<boolean>;

let installed = false;

/**
 * grammY's `branch`, under every `filter`, `command`, `callbackQuery`, `chatType` and `on`, goes through
 * `lazy`: for every update and every handler the update passes, it awaits the predicate and builds a new
 * Composer around the middleware chosen. An update passes a hundred of them before one answers it, and
 * that was about a tenth of the bot's CPU per update (#14). This `branch` decides the same way (a
 * predicate may still be async), with both sides flattened once, when the handler is registered.
 *
 * Installed on grammY's Composer (so on every composer, the bot and plugins alike) when this module is
 * loaded: bot.ts imports it before any feature, since a feature registers its filters when imported.
 */
export function installDirectBranch(): void {
  if (installed) return;
  installed = true;
  Composer.prototype.branch = function branch<C extends Context>(
    this: Composer<C>,
    predicate: (ctx: C) => boolean | Promise<boolean>,
    trueMiddleware: Middleware<C> | Middleware<C>[],
    falseMiddleware: Middleware<C> | Middleware<C>[],
  ): Composer<C> {
    const yes = flatten(trueMiddleware);
    const no = flatten(falseMiddleware);
    return this.use((ctx, next) => {
      const decided = (predicate as Predicate)(ctx);
      if (typeof decided === 'boolean') return (decided ? yes : no)(ctx, next);
      return Promise.resolve(decided).then((ok) => (ok ? yes : no)(ctx, next));
    });
  } as Composer<Context>['branch'];
}

function flatten<C extends Context>(middleware: Middleware<C> | Middleware<C>[]): MiddlewareFn<C> {
  if (Array.isArray(middleware)) {
    const composer = new Composer<C>(...middleware);
    return (ctx, next) => composer.middleware()(ctx, next);
  }
  if (typeof middleware === 'function') return middleware;
  // A composer may still grow after it was passed here (`filter` returns it): its handler is read each time.
  return (ctx, next) => middleware.middleware()(ctx, next);
}

installDirectBranch();
