import { labelCabinetButton } from '../../shared/cabinet-menu-button';
import { Composer } from 'grammy';
import type { Person } from '../../../generated/prisma/client';
import { CATEGORIES, type StepOutcome } from '../../../core/linking/onboarding.service';
import { canStartOver, CORRECTABLE, correctableSteps, correctionPending } from '../../../core/linking/onboarding-steps';
import { callbackButton, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { setLanguage } from '../../middlewares/attach-context';
import { claimAfterLinking } from '../../shared/attendance-claim';
import { fixMenuKeyboard, linkingCancelKeyboard } from '../../keyboards/onboarding';
import { announceLinked, fixOfferedByPrompt, promptStep } from './prompts';

const composer = new Composer<BotContext>();
const privateChat = composer.chatType('private');

/** /start (with an optional invite payload from a deep link): begins, or resumes, the linking journey. */
privateChat.command('start', async (ctx) => {
  const payload = ctx.match.trim() || undefined;
  const { person, created } = await ctx.services.onboarding.begin(telegramUserOf(ctx), payload);
  ctx.person = person;
  setLanguage(ctx, person.language);
  if (person.onboardingStep === 'LINKED') {
    await ctx.reply(ctx.t('onboarding.already-linked'));
    await announceLinked(ctx, person);
    return;
  }
  if (created) await ctx.reply(ctx.t('onboarding.welcome'));
  // A repeated /start resumes, and never traps: any earlier answer can be corrected from here.
  else await ctx.reply(ctx.t('onboarding.resume'), { reply_markup: resumeKeyboard(ctx, person) });
  await promptStep(ctx, person);
});

/** Everything below concerns people who are not linked yet: they answer the current question. */
const onboarding = privateChat.filter((ctx) => ctx.person?.onboardingStep !== 'LINKED');

onboarding.callbackQuery(callbackPattern.language, async (ctx) => {
  const person = await requirePerson(ctx);
  const outcome = await ctx.services.onboarding.chooseLanguage(person, callbackButton.language.fieldsOf(ctx.match).lang);
  if (outcome.ok) {
    setLanguage(ctx, outcome.person.language);
    await labelCabinetButton(ctx);
  }
  await settleButton(ctx, outcome);
});

onboarding.callbackQuery(callbackPattern.consent, async (ctx) => {
  const person = await requirePerson(ctx);
  if (ctx.match[1] === 'no') {
    if (person.onboardingStep !== 'CONSENT')
      return settleButton(ctx, { ok: false, person, step: person.onboardingStep, reason: 'wrong-step' });
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('onboarding.consent.declined'));
    return;
  }
  await settleButton(ctx, await ctx.services.onboarding.giveConsent(person));
});

onboarding.callbackQuery(callbackPattern.category, async (ctx) => {
  const person = await requirePerson(ctx);
  const category = CATEGORIES.find((c) => c === ctx.match[1]);
  if (!category) return settleButton(ctx, { ok: false, person, step: person.onboardingStep, reason: 'wrong-step' });
  await settleButton(ctx, await ctx.services.onboarding.chooseCategory(person, category, BigInt(ctx.from.id)));
});

onboarding.callbackQuery(callbackPattern.onboardingBack, async (ctx) => {
  await settleButton(ctx, await ctx.services.onboarding.back(await requirePerson(ctx)));
});

/** «✏️ Исправить ответ»: which of the answers given so far to change. */
onboarding.callbackQuery(callbackPattern.onboardingFixMenu, async (ctx) => {
  const person = await requirePerson(ctx);
  const steps = correctableSteps(person);
  if (steps.length === 0) return settleButton(ctx, { ok: false, person, step: person.onboardingStep, reason: 'wrong-step' });
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('onboarding.correct.choose'), { reply_markup: fixMenuKeyboard(ctx.t, steps) });
});

onboarding.callbackQuery(callbackPattern.onboardingFix, async (ctx) => {
  const person = await requirePerson(ctx);
  const step = CORRECTABLE.find((s) => s === ctx.match[1]);
  if (!step) return settleButton(ctx, { ok: false, person, step: person.onboardingStep, reason: 'wrong-step' });
  await settleButton(ctx, await ctx.services.onboarding.correct(person, step));
});

/** «Ничего не менять» under the menu: the menu goes, the current question stays. */
onboarding.callbackQuery(callbackPattern.onboardingFixClose, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await promptStep(ctx, await requirePerson(ctx));
});

onboarding.callbackQuery(callbackPattern.onboardingKeep, async (ctx) => {
  await settleButton(ctx, await ctx.services.onboarding.keepAnswer(await requirePerson(ctx)));
});

onboarding.callbackQuery(callbackPattern.onboardingStartOver, async (ctx) => {
  const outcome = await ctx.services.onboarding.startOver(await requirePerson(ctx));
  if (outcome.ok) await ctx.reply(ctx.t('onboarding.started-over'));
  await settleButton(ctx, outcome);
});

/**
 * /cancel before linking deletes nothing (that is /delete_me): during a correction it keeps the old
 * answer; otherwise it says so and offers to correct an answer or to go through the questions again.
 */
onboarding.command('cancel', async (ctx) => {
  const person = await requirePerson(ctx);
  if (correctionPending(person)) return settle(ctx, await ctx.services.onboarding.keepAnswer(person));
  const fix = correctableSteps(person).length > 0;
  const startOver = canStartOver(person);
  await ctx.reply(ctx.t(fix || startOver ? 'onboarding.cancel.explain' : 'onboarding.cancel.explain-early'), {
    reply_markup: linkingCancelKeyboard(ctx.t, { fix, startOver }),
  });
  await promptStep(ctx, person);
});

onboarding.on('message:contact', async (ctx) => {
  const person = await requirePerson(ctx);
  const { contact } = ctx.message;
  const outcome = await ctx.services.onboarding.submitContact(
    person,
    { phoneNumber: contact.phone_number, userId: contact.user_id === undefined ? undefined : BigInt(contact.user_id) },
    BigInt(ctx.from.id),
  );
  await settle(ctx, outcome);
});

onboarding.on('message:text', async (ctx) => {
  const person = await requirePerson(ctx);
  const text = ctx.message.text;
  if (text.startsWith('/')) {
    await ctx.reply(ctx.t('onboarding.finish-first'));
    return promptStep(ctx, person);
  }
  const service = ctx.services.onboarding;
  // The reply keyboard of a phone correction has a plain «keep the old number» button.
  if (person.onboardingStep === 'PHONE' && correctionPending(person) && text === ctx.t('onboarding.correct.keep')) {
    return settle(ctx, await service.keepAnswer(person));
  }
  switch (person.onboardingStep) {
    case 'FULL_NAME':
      return settle(ctx, await service.submitFullName(person, text));
    case 'ORGANIZATION':
      return settle(ctx, await service.submitOrganization(person, text));
    case 'INVITE_CODE':
      return settle(ctx, await service.submitInviteCode(person, text, BigInt(ctx.from.id)));
    case 'PHONE':
      await ctx.reply(ctx.t('onboarding.phone.use-button'));
      return promptStep(ctx, person);
    default:
      await ctx.reply(ctx.t('onboarding.use-buttons'));
      return promptStep(ctx, person);
  }
});

/** Stickers, photos, voice… before linking: say what we expect instead, and ask again. */
onboarding.on('message', async (ctx) => {
  const person = await requirePerson(ctx);
  await ctx.reply(ctx.t('onboarding.unexpected-message'));
  await promptStep(ctx, person);
});

/** A press on a button of an old message, or of a step already answered. */
onboarding.on('callback_query', async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
  await promptStep(ctx, await requirePerson(ctx));
});

/** Someone who never pressed /start and writes anyway is welcomed as if they had. */
async function requirePerson(ctx: BotContext): Promise<Person> {
  if (ctx.person) return ctx.person;
  const { person, created } = await ctx.services.onboarding.begin(telegramUserOf(ctx));
  ctx.person = person;
  setLanguage(ctx, person.language);
  if (created) await ctx.reply(ctx.t('onboarding.welcome'));
  return person;
}

async function settleButton(ctx: BotContext, outcome: StepOutcome): Promise<void> {
  if (!outcome.ok && outcome.reason === 'wrong-step') {
    await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
    return promptStep(ctx, outcome.person);
  }
  await ctx.answerCallbackQuery();
  // The answered question loses its buttons, so it cannot be answered twice.
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await settle(ctx, outcome);
}

async function settle(ctx: BotContext, outcome: StepOutcome): Promise<void> {
  ctx.person = outcome.person;
  if (outcome.ok && outcome.correction) {
    // Also takes away the share-contact keyboard of a phone correction.
    await ctx.reply(ctx.t(`onboarding.correct.${outcome.correction}`), { reply_markup: { remove_keyboard: true } });
  }
  if (!outcome.ok) {
    if (outcome.reason !== 'wrong-step') {
      await ctx.reply(ctx.t(`onboarding.refused.${outcome.reason}`, { minutes: outcome.retryAfterMinutes }));
    }
    return promptStep(ctx, outcome.person);
  }
  if (outcome.step === 'LINKED') {
    ctx.log.info({ person_id: outcome.person.id }, 'person linked');
    await ctx.services.credits.requestEvaluation(outcome.person.id, 'linked');
  }
  await promptStep(ctx, outcome.person);
  if (outcome.step === 'LINKED' && outcome.attendanceCode) await claimAfterLinking(ctx, outcome.attendanceCode);
}

/** «✏️ Исправить ответ» under «we continue where you stopped», unless the question itself offers it. */
function resumeKeyboard(ctx: BotContext, person: Person) {
  const fix = correctableSteps(person).length > 0 && !fixOfferedByPrompt(person) && !correctionPending(person);
  return linkingCancelKeyboard(ctx.t, { fix, startOver: false });
}

function telegramUserOf(ctx: BotContext) {
  const from = ctx.from!;
  return {
    id: BigInt(from.id),
    chatId: BigInt(ctx.chat!.id),
    firstName: from.first_name,
    username: from.username,
    languageCode: from.language_code,
  };
}

export { composer as startFeature };
