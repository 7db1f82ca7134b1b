import type { BotContext } from '../context';

/** Features past onboarding: the person exists and is linked to a roster record. */
export function linkedOnly(ctx: BotContext): boolean {
  return ctx.person?.onboardingStep === 'LINKED';
}
