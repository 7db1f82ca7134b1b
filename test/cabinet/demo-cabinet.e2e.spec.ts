import type { Session } from '../../bot/http/cabinet/wire';
import { OnboardingService } from '../../core/linking/onboarding.service';
import { DEMO_STAFF } from '../../prisma/seed';
import { cabinetLaunchUrl, DEMO_ADMIN_USER, linkDemoAdmin } from '../../scripts/demo-cabinet';
import { TEST_BOT_TOKEN, tmaHeader } from '../support/init-data';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * `npm run demo` without a token prints links that open the cabinet as Telegram would: the demo signs the
 * launch data with the bot's token, and links the education department's demo person through the real
 * linking steps so the admin cabinet opens at once.
 */
jest.setTimeout(120_000);

describe("the demo's cabinet links", () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('links the demo admin once, and the printed link signs them in as the admin of the demo organization', async () => {
    const admin = DEMO_STAFF.find((member) => member.externalId === 'T-0006')!;
    const onboarding = system.bot.get(OnboardingService);
    expect(await linkDemoAdmin(onboarding, admin)).toBe('linked');
    expect(await linkDemoAdmin(onboarding, admin)).toBe('already');
    const roster = await system.db.rosterEntry.findFirstOrThrow({ where: { externalId: 'T-0006' }, include: { person: true } });
    expect(roster.person).toMatchObject({ fullName: admin.fullName, onboardingStep: 'LINKED', orgRole: 'ADMIN' });

    const url = new URL(cabinetLaunchUrl(`${system.baseUrl}/cabinet/`, TEST_BOT_TOKEN, DEMO_ADMIN_USER));
    expect(url.search).toBe('');
    const launch = new URLSearchParams(url.hash.slice(1));
    expect(launch.get('tgWebAppVersion')).toBeTruthy();
    const session = await fetch(`${system.baseUrl}/cabinet/api/session`, { headers: tmaHeader(launch.get('tgWebAppData')!) });
    expect(await session.json()).toMatchObject({
      person: { fullName: admin.fullName },
      admin: { code: 'DEMO' },
    } satisfies Partial<Record<keyof Session, unknown>>);
  });
});
