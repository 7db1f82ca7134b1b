import { sign } from '@telegram-apps/init-data-node';
import type { OnboardingService, Step, StepOutcome } from '../core/linking/onboarding.service';
import { DEMO_ORGANIZATION, type DemoStaff } from '../prisma/seed';

/** A Telegram user of the demo, as Telegram would describe them in a Mini App's launch data. */
export interface DemoLaunchUser {
  id: number;
  first_name: string;
  language_code: string;
}

/**
 * The demo's second Telegram user: the education department's person, linked when the demo starts, so
 * that the admin cabinet opens at once next to the terminal chat (whose user is the first).
 */
export const DEMO_ADMIN_USER: DemoLaunchUser & { phone: string } = {
  id: 700_000_002,
  first_name: 'Елена',
  language_code: 'ru',
  phone: '+79161234568',
};

/**
 * The cabinet's URL as a Telegram client opens it: the launch parameters, with initData signed by the bot
 * token exactly as Telegram signs it, in the fragment (browsers never send it to the server). Without a
 * real Telegram the demo is the one who signs, with the local stand-in's token.
 */
export function cabinetLaunchUrl(cabinetUrl: string, botToken: string, user: DemoLaunchUser, now = new Date()): string {
  const initData = sign(
    { user: { ...user, allows_write_to_pm: true }, query_id: `demo-${user.id}`, chat_type: 'sender', chat_instance: String(user.id) },
    botToken,
    now,
  );
  const params = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop' });
  return `${cabinetUrl}#${params.toString()}`;
}

/**
 * Links the demo admin through the same steps the chat's /start walks (language, consent, own contact,
 * name, category, invite code), so the demo's data are what a real linking leaves. Nothing happens when
 * they are linked already (a second demo run on the same data).
 */
export async function linkDemoAdmin(onboarding: OnboardingService, staff: DemoStaff): Promise<'linked' | 'already'> {
  const id = BigInt(DEMO_ADMIN_USER.id);
  const existing = await onboarding.findByTelegramUser(id);
  if (existing?.onboardingStep === 'LINKED') return 'already';
  let { person } = await onboarding.begin({ id, chatId: id, firstName: DEMO_ADMIN_USER.first_name, languageCode: 'ru' }, staff.inviteCode);
  // Keyed by the step the person is at, so a run stopped half way resumes where it stopped.
  const answers: Partial<Record<Step, () => Promise<StepOutcome>>> = {
    LANGUAGE: () => onboarding.chooseLanguage(person, 'ru'),
    CONSENT: () => onboarding.giveConsent(person),
    PHONE: () => onboarding.submitContact(person, { phoneNumber: DEMO_ADMIN_USER.phone, userId: id }, id),
    FULL_NAME: () => onboarding.submitFullName(person, staff.fullName),
    CATEGORY: () => onboarding.chooseCategory(person, staff.category, BigInt(id)),
    ORGANIZATION: () => onboarding.submitOrganization(person, DEMO_ORGANIZATION.code),
    INVITE_CODE: () => onboarding.submitInviteCode(person, staff.inviteCode, BigInt(id)),
  };
  for (let turn = 0; person.onboardingStep !== 'LINKED'; turn++) {
    const answer = answers[person.onboardingStep];
    if (!answer || turn > Object.keys(answers).length) throw new Error(`the demo admin stopped at ${person.onboardingStep}`);
    const outcome = await answer();
    if (!outcome.ok) throw new Error(`the demo admin could not be linked: ${outcome.reason}`);
    person = outcome.person;
  }
  return 'linked';
}
