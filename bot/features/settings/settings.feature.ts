import { Composer, InlineKeyboard } from 'grammy';
import type { Person } from '../../../generated/prisma/client';
import { NOTIFICATION_KINDS } from '../../../core/settings/notification-kinds';
import {
  formatMinutes,
  isQuietHoursOff,
  parseQuietHours,
  QUIET_HOURS_OFF,
  QUIET_HOURS_PRESETS,
  type QuietHoursSetting,
} from '../../../core/settings/quiet-hours-input';
import type { SettingsOutcome } from '../../../core/settings/settings.service';
import { RUSSIAN_TIME_ZONES, utcOffsetLabel } from '../../../core/settings/time-zones';
import { LANGUAGES } from '../../../infra/i18n';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { labelCabinetButton } from '../../shared/cabinet-menu-button';
import { setLanguage } from '../../middlewares/attach-context';
import { awaitingQuietHours, expectQuietHours } from './pending-input';

/**
 * /settings (R-SETTINGS): language, notification kinds, quiet hours and time zone. Every choice is
 * stored at once by core (and journaled); the next reply and the next proactive message follow it.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

function quietLabel(ctx: BotContext, quiet: QuietHoursSetting): string {
  return isQuietHoursOff(quiet)
    ? ctx.t('settings.quiet.off')
    : ctx.t('settings.quiet.range', { start: formatMinutes(quiet.start), end: formatMinutes(quiet.end) });
}

function zoneLabel(ctx: BotContext, zone: string): string {
  return ctx.t('settings.zone.label', {
    name: ctx.t(`settings.zone.names.${zone.replace('/', '_')}`, { defaultValue: zone }),
    offset: utcOffsetLabel(zone, ctx.services.clock.now()),
  });
}

async function showSettings(ctx: BotContext): Promise<void> {
  const person = ctx.person!;
  const mutable = NOTIFICATION_KINDS.filter((k) => k.mutable);
  const on = mutable.filter((k) => !person.mutedKinds.includes(k.code)).length;
  const text = ctx.t('settings.summary', {
    language: ctx.t('language-name'),
    kinds: ctx.t('settings.kinds.count', { on, total: mutable.length }),
    quiet: quietLabel(ctx, { start: person.quietHoursStart, end: person.quietHoursEnd }),
    zone: zoneLabel(ctx, person.timeZone),
  });
  const keyboard = new InlineKeyboard();
  for (const lang of LANGUAGES) keyboard.text(ctx.services.i18n.getFixedT(lang)('language-name'), callbackData.settingsLanguage(lang));
  keyboard.row().text(ctx.t('settings.kinds.button'), callbackData.settingsKinds);
  keyboard.row().text(ctx.t('settings.quiet.button'), callbackData.settingsQuiet);
  keyboard.row().text(ctx.t('settings.zone.button'), callbackData.settingsZones);
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
}

async function showKinds(ctx: BotContext): Promise<void> {
  const person = ctx.person!;
  const keyboard = new InlineKeyboard();
  const lines = [ctx.t('settings.kinds.title')];
  for (const kind of NOTIFICATION_KINDS) {
    const name = ctx.t(`settings.kinds.names.${kind.code.replace('.', '_')}`, { defaultValue: kind.code });
    if (!kind.mutable) {
      lines.push(ctx.t('settings.kinds.always', { name }));
      continue;
    }
    const muted = person.mutedKinds.includes(kind.code);
    lines.push(ctx.t(muted ? 'settings.kinds.line-off' : 'settings.kinds.line-on', { name }));
    keyboard
      .text(ctx.t(muted ? 'settings.kinds.turn-on' : 'settings.kinds.turn-off', { name }), callbackData.settingsKindToggle(kind.code))
      .row();
  }
  keyboard.text(ctx.t('common.back'), callbackData.settings);
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: keyboard });
}

async function showQuietHours(ctx: BotContext): Promise<void> {
  const person = ctx.person!;
  const keyboard = new InlineKeyboard();
  QUIET_HOURS_PRESETS.forEach((p, i) => {
    keyboard.text(quietLabel(ctx, p), callbackData.settingsQuietPreset(p.start, p.end));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(ctx.t('settings.quiet.off'), callbackData.settingsQuietPreset(QUIET_HOURS_OFF.start, QUIET_HOURS_OFF.end));
  keyboard.text(ctx.t('settings.quiet.custom'), callbackData.settingsQuietCustom);
  keyboard.row().text(ctx.t('common.back'), callbackData.settings);
  await ctx.reply(
    ctx.t('settings.quiet.title', { current: quietLabel(ctx, { start: person.quietHoursStart, end: person.quietHoursEnd }) }),
    { parse_mode: 'HTML', reply_markup: keyboard },
  );
}

async function showZones(ctx: BotContext): Promise<void> {
  const keyboard = new InlineKeyboard();
  RUSSIAN_TIME_ZONES.forEach((zone, i) => {
    keyboard.text(zoneLabel(ctx, zone), callbackData.settingsZone(zone));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(ctx.t('common.back'), callbackData.settings);
  await ctx.reply(ctx.t('settings.zone.title', { current: zoneLabel(ctx, ctx.person!.timeZone) }), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
}

/** Applies a stored change to this update too, then confirms in the (possibly new) language. */
async function applied(ctx: BotContext, outcome: SettingsOutcome, confirmation: (person: Person) => string): Promise<boolean> {
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`settings.refused.${outcome.reason}`));
    return false;
  }
  ctx.person = outcome.person;
  setLanguage(ctx, outcome.person.language);
  await ctx.reply(confirmation(outcome.person), { parse_mode: 'HTML' });
  return true;
}

function onButton(pattern: RegExp, handler: (ctx: BotContext & { match: RegExpMatchArray }) => Promise<unknown>): void {
  linked.callbackQuery(pattern, async (ctx) => {
    await ctx.answerCallbackQuery();
    await handler(ctx as BotContext & { match: RegExpMatchArray });
  });
}

linked.command('settings', showSettings);
onButton(callbackPattern.settings, showSettings);
onButton(callbackPattern.settingsKinds, showKinds);
onButton(callbackPattern.settingsQuiet, showQuietHours);
onButton(callbackPattern.settingsZones, showZones);

onButton(callbackPattern.settingsLanguage, async (ctx) => {
  const outcome = await ctx.services.settings.setLanguage(ctx.person!, ctx.match[1] as Person['language']);
  if (await applied(ctx, outcome, () => ctx.t('settings.language-changed', { language: ctx.t('language-name') }))) {
    await labelCabinetButton(ctx);
    await showSettings(ctx);
  }
});

onButton(callbackPattern.settingsKindToggle, async (ctx) => {
  const kind = ctx.match[1];
  const mute = !ctx.person!.mutedKinds.includes(kind);
  const outcome = await ctx.services.settings.setKindMuted(ctx.person!, kind, mute);
  const name = ctx.t(`settings.kinds.names.${kind.replace('.', '_')}`, { defaultValue: kind });
  if (await applied(ctx, outcome, () => ctx.t(mute ? 'settings.kinds.muted' : 'settings.kinds.unmuted', { name }))) await showKinds(ctx);
});

onButton(callbackPattern.settingsQuietPreset, async (ctx) => {
  const quiet = { start: Number(ctx.match[1]), end: Number(ctx.match[2]) };
  const outcome = await ctx.services.settings.setQuietHours(ctx.person!, quiet);
  await applied(ctx, outcome, () => ctx.t('settings.quiet.saved', { quiet: quietLabel(ctx, quiet) }));
});

onButton(callbackPattern.settingsQuietCustom, async (ctx) => {
  await expectQuietHours(ctx);
  await ctx.reply(ctx.t('settings.quiet.ask'));
});

onButton(callbackPattern.settingsZone, async (ctx) => {
  const outcome = await ctx.services.settings.setTimeZone(ctx.person!, ctx.match[1]);
  await applied(ctx, outcome, (person) => ctx.t('settings.zone.saved', { zone: zoneLabel(ctx, person.timeZone) }));
});

/** The range typed after «Свои часы»; a command abandons it. */
linked.on('message:text', async (ctx, next) => {
  if (ctx.message.text.startsWith('/') || !(await awaitingQuietHours(ctx, false))) return next();
  const parsed = parseQuietHours(ctx.message.text);
  if (!parsed.ok) {
    await ctx.reply(ctx.t(`settings.quiet.refused.${parsed.reason}`));
    return;
  }
  await awaitingQuietHours(ctx, true);
  const outcome = await ctx.services.settings.setQuietHours(ctx.person!, parsed.value);
  await applied(ctx, outcome, () => ctx.t('settings.quiet.saved', { quiet: quietLabel(ctx, parsed.value) }));
});

export { composer as settingsFeature };
