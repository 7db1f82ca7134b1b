import type { SimulatedUser } from '../../standin';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * #12.2: every message the bot builds from data of unbounded length stays within Telegram's 4,096
 * characters. Мария wrote a 4,000-character goal for her portfolio (after which /portfolio failed on
 * every call), has 25 portfolio items with long titles, a plan of 80 items, and her organization
 * publishes 30 events: each view is cut with «…» and a way to see the rest, or paged with buttons.
 */
describe('long views fit one message (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let personId: string;

  const shown = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const last = (user: SimulatedUser) => shown(user).at(-1) ?? '';
  const buttonsOfLast = (user: SimulatedUser) => {
    const markup = user.messages().at(-1)?.reply_markup;
    return markup && 'inline_keyboard' in markup ? markup.inline_keyboard.flat().map((b) => b.text) : [];
  };
  /** The goal, as a person would write it: sentences, 4,000 characters. */
  const goal = 'Подтвердить квалификацию по специальности «Сестринское дело» и освоить новые методики ухода. '
    .repeat(60)
    .slice(0, 4000)
    .trim();

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    maria = system.standin.user({ id: 7121, first_name: 'Мария', language_code: 'ru' });
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const person = await system.db.person.create({
      data: {
        fullName: 'Иванова Мария Петровна',
        onboardingStep: 'LINKED',
        organizationId: organization.id,
        language: 'ru',
        category: 'NURSE',
        specialty: 'Сестринское дело',
        lastAccreditationDate: new Date('2022-01-20T00:00:00Z'),
      },
    });
    personId = person.id;
    await system.db.telegramIdentity.create({ data: { telegramUserId: 7121n, chatId: 7121n, personId } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('a 4,000-character goal: /portfolio shows its beginning with «…», every time, and «Цель полностью» shows it whole', async () => {
    await maria.sendCommand('/portfolio');
    await maria.pressButton('📁 Создать портфолио');
    await maria.sendText(goal);
    expect(last(maria)).toContain('Цель: Подтвердить квалификацию');
    expect(last(maria)).toContain('…');
    expect(last(maria).length).toBeLessThanOrEqual(4096);
    // The next call too (it used to fail on every call once the goal was saved).
    await maria.sendCommand('/portfolio');
    expect(last(maria)).toContain('Цель: Подтвердить квалификацию');
    expect(buttonsOfLast(maria)).toContain('🎯 Цель полностью');
    await maria.pressButton('🎯 Цель полностью');
    expect(last(maria)).toBe(`🎯 Цель портфолио:\n\n${goal}`);
  });

  it('25 items with long titles are paged, ten to a page, with their buttons', async () => {
    const portfolio = await system.db.portfolio.findFirstOrThrow({ where: { personId } });
    await system.db.portfolioItem.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        portfolioId: portfolio.id,
        section: 'EDUCATION' as const,
        kind: 'pk',
        title:
          `${String(i + 1).padStart(2, '0')} ${'Сестринское дело в терапии и гериатрии, модуль повышения квалификации '.repeat(3)}`.slice(
            0,
            200,
          ),
        hours: 36,
      })),
    });
    await maria.sendCommand('/portfolio');
    await maria.pressButton('🔐 Элементы и доступ');
    expect(last(maria)).toContain('Стр. 1 из 3');
    expect(last(maria)).toContain('1. 🔒 01 ');
    expect(last(maria)).toContain('10. 🔒 10 ');
    expect(last(maria)).not.toContain('11. 🔒 11 ');
    expect(last(maria).length).toBeLessThanOrEqual(4096);
    expect(buttonsOfLast(maria)).toEqual([...Array.from({ length: 10 }, (_, i) => `🔒 ${i + 1}`), 'Дальше ▶️']);
    await maria.pressButton('Дальше ▶️');
    expect(last(maria)).toContain('Стр. 2 из 3');
    expect(last(maria)).toContain('11. 🔒 11 ');
    expect(buttonsOfLast(maria)).toContain('◀️ Назад');
    expect(buttonsOfLast(maria)).toContain('🔒 20');
  });

  it('a plan of 80 items shows what fits and says the whole plan is in the PDF and .ics', async () => {
    await system.db.planItem.createMany({
      data: Array.from({ length: 80 }, (_, i) => ({
        personId,
        title: `Программа повышения квалификации «Сестринский уход» ${i + 1}`,
        provider: 'Медицинский колледж № 1',
        creditTypeCode: 'pk',
        startsOn: new Date(Date.UTC(2027, 0, 1 + i)),
        endsOn: new Date(Date.UTC(2027, 0, 1 + i)),
        hours: 36,
      })),
    });
    await maria.sendCommand('/plan');
    expect(last(maria).length).toBeLessThanOrEqual(4096);
    expect(last(maria)).toMatch(/… и ещё позиций: \d+ — весь план в PDF и \.ics/);
    expect(buttonsOfLast(maria)).toEqual(expect.arrayContaining(['📅 В календарь (.ics)', '📄 PDF для руководителя']));
  });

  it('30 published events are paged', async () => {
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    await system.db.event.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        organizationId: organization.id,
        title: `Вебинар «Профилактика инфекций, связанных с оказанием медицинской помощи» № ${i + 1}`,
        format: 'WEBINAR' as const,
        kind: 'EVENT' as const,
        startsAt: new Date(Date.UTC(2026, 11, 1 + i, 7)),
        endsAt: new Date(Date.UTC(2026, 11, 1 + i, 9)),
        link: `https://webinar.example.ru/ismp/${i + 1}?utm_source=nmo&utm_medium=telegram&utm_campaign=december`,
        zet: 2,
      })),
    });
    await maria.sendCommand('/events');
    expect(last(maria)).toMatch(/Стр\. 1 из \d/);
    expect(last(maria).length).toBeLessThanOrEqual(4096);
    expect(buttonsOfLast(maria).filter((b) => b.startsWith('✍️ Записаться'))).toHaveLength(8);
    await maria.pressButton('Дальше ▶️');
    expect(last(maria)).toMatch(/Стр\. 2 из \d/);
    expect(last(maria)).toContain('№ 9');
  });
});
