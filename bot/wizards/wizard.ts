import type { BotContext } from '../context';

/** What a wizard's current step waits for, told to a person who sent something else. */
export interface WaitingStep {
  /** Locale key of the step's hint: what to send here («Сейчас жду число…»). */
  hint: string;
  params?: Record<string, string | number>;
}

/**
 * One multi-step conversation of a feature, whose state is a draft in the session or a pending
 * question in Redis. Each feature describes its own; `wizards.ts` lists them all, so that an unexpected
 * message gets the running step's hint and /cancel ends whatever runs, from one place.
 */
export interface Wizard {
  /** The step waiting for the person's answer, or null when this wizard is not running. */
  waiting(ctx: BotContext): WaitingStep | null | Promise<WaitingStep | null>;
  /** Ends the wizard with nothing saved; answers the locale key of the sentence that says so. */
  cancel(ctx: BotContext): string | Promise<string>;
}
