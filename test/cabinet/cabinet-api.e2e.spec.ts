import { CreditsService } from '../../core/credits/credits.service';
import { DocumentsService } from '../../core/documents/documents.service';
import { tinyPdf } from '../../core/documents/fixtures';
import { dbDateOf } from '../../core/shared/local-date';
import type { Person } from '../../generated/prisma/client';
import type { Cases, Cycle, Entries, Plan, Portfolio, Session } from '../../bot/http/cabinet/wire';
import { signedInitData, tmaHeader } from '../support/init-data';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The cabinet's API as Telegram's Mini App calls it: every request carries the initData Telegram signed
 * for the bot (`Authorization: tma …`). Мария sees her own cycle, entries, documents and cases, exactly as
 * the core services compute them for the chat; Пётр, with his own initData, sees only his; a forged, a
 * tampered and an expired initData get 401; a Telegram user who never linked learns how to link.
 */
jest.setTimeout(120_000);

describe('cabinet API: sign-in by initData and the staff read routes', () => {
  let system: RunningSystem;
  let maria: Person;
  let petr: Person;
  const mariaUser = { id: 9101, first_name: 'Мария', language_code: 'ru' };
  const petrUser = { id: 9102, first_name: 'Peter', language_code: 'en' };

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${system.baseUrl}/cabinet/api/${path}`, { headers });
  const getAs = (user: typeof mariaUser, path: string) => get(path, tmaHeader(signedInitData(user)));
  const read = async <T>(user: typeof mariaUser, path: string): Promise<T> => (await getAs(user, path)).json() as Promise<T>;

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    maria = await createLinkedPerson(system, mariaUser.id, { category: 'NURSE', lastAccreditationDate: dbDateOf('2022-03-01') });
    petr = await createLinkedPerson(system, petrUser.id, {
      fullName: 'Орлов Пётр Петрович',
      language: 'en',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2024-06-01'),
    });
    await system.db.creditEntry.createMany({
      data: [
        {
          personId: maria.id,
          creditTypeCode: 'pk',
          quantity: 36,
          occurredOn: dbDateOf('2023-04-10'),
          source: 'IMPORT',
          verification: 'VERIFIED',
        },
        { personId: maria.id, creditTypeCode: 'iom', quantity: 6, occurredOn: dbDateOf('2025-02-01'), source: 'SELF' },
        { personId: petr.id, creditTypeCode: 'pk', quantity: 18, occurredOn: dbDateOf('2025-01-15'), source: 'SELF' },
      ],
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('refuses a request without initData, with one signed by another bot, tampered with, or too old', async () => {
    const missing = await get('cycle');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('tma');
    expect(await missing.json()).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('Откройте кабинет из чата') });

    const forged = await get('cycle', tmaHeader(signedInitData(mariaUser, { token: '654321:OTHER-bot' })));
    expect(forged.status).toBe(401);

    // Мария's launch data with Пётр's id put in: the signature no longer matches.
    const tampered = signedInitData(mariaUser).replace(`%22id%22%3A${mariaUser.id}`, `%22id%22%3A${petrUser.id}`);
    expect(tampered).not.toBe(signedInitData(mariaUser));
    expect((await get('cycle', tmaHeader(tampered))).status).toBe(401);

    const old = await get('cycle', tmaHeader(signedInitData(mariaUser, { authDate: new Date(Date.now() - 2 * 24 * 3600 * 1000) })));
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'expired' });

    expect((await get('cycle', { Authorization: 'Bearer whatever' })).status).toBe(401);
    expect((await get('cycle', { Authorization: 'tma garbage' })).status).toBe(401);
  });

  it('tells a Telegram user who has not linked the bot how to link, and serves them nothing else', async () => {
    const stranger = { id: 9199, first_name: 'Гость', language_code: 'ru' };
    const session = await getAs(stranger, 'session');
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ person: null, howToLink: expect.stringContaining('/start'), admin: null });
    const cycle = await getAs(stranger, 'cycle');
    expect(cycle.status).toBe(403);
    expect(await cycle.json()).toMatchObject({ error: 'not-linked' });
  });

  it("serves Мария's session in her language with the page's sentences", async () => {
    const session = await read<Session>(mariaUser, 'session');
    expect(session).toMatchObject({
      lang: 'ru',
      person: { fullName: 'Иванова Мария Петровна', category: expect.any(String), organization: expect.any(String) },
      admin: null,
    });
    expect(session.strings).toHaveProperty('errors');
  });

  it('shows the cycle with the numbers the credit engine gives the chat, and the chart ending at the total', async () => {
    const cycle = await read<Cycle>(mariaUser, 'cycle');
    const balance = await system.bot.get(CreditsService).balance(maria);
    expect(cycle).toMatchObject({
      total: balance.evaluation.total,
      required: balance.evaluation.required,
      remaining: balance.evaluation.remaining,
      percent: balance.evaluation.percent,
      period: balance.evaluation.period,
      ruleSet: { unitLabel: 'ЗЕТ' },
    });
    expect(cycle.total).toBe(42);
    expect(cycle.progress.at(-1)).toEqual({ date: '2025-02-01', total: 42 });
    const pk = cycle.groups.find((g) => g.group === 'pk')!;
    expect(pk).toMatchObject({ minimum: 72, counted: 36 });
    expect(pk.progress).toEqual([{ date: '2023-04-10', total: 36 }]);
    expect(cycle.creditTypes.map((t) => t.code)).toEqual(expect.arrayContaining(['pk', 'iom']));
  });

  it('lists entries with source, state and documents; a document opens only for its owner', async () => {
    const documents = system.bot.get(DocumentsService);
    const stored = await documents.store(maria, { bytes: tinyPdf('Удостоверение ПК'), originalName: 'удостоверение.pdf' });
    if (!stored.ok) throw new Error('the fixture PDF was refused');
    const entry = await system.db.creditEntry.findFirstOrThrow({ where: { personId: maria.id, creditTypeCode: 'iom' } });
    await documents.attach(maria, stored.document.id, { type: 'CREDIT_ENTRY', id: entry.id });

    const list = await read<Entries>(mariaUser, 'entries');
    expect(list.entries).toHaveLength(2);
    const iom = list.entries.find((e) => e.id === entry.id);
    expect(iom).toMatchObject({
      sourceLabel: 'внесено вами',
      stateLabel: 'ожидает подтверждения',
      editable: true,
      documents: [{ id: stored.document.id, name: 'удостоверение.pdf', mediaType: 'application/pdf' }],
    });
    expect(list.entries.find((e) => e.id !== entry.id)).toMatchObject({ sourceLabel: 'от организации', editable: false });

    const own = await getAs(mariaUser, `documents/${stored.document.id}`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await own.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const others = await getAs(petrUser, `documents/${stored.document.id}`);
    expect(others.status).toBe(404);
    expect(await others.json()).toMatchObject({ error: 'document-not-found', message: 'Document not found.' });
  });

  it('gives Пётр only his own data, in his language, whatever he asks', async () => {
    const cycle = await read<Cycle>(petrUser, 'cycle');
    expect(cycle.total).toBe(18);
    const entries = await read<Entries>(petrUser, 'entries');
    expect(entries.entries.map((e) => e.quantity)).toEqual([18]);
    expect(entries.entries[0]).toMatchObject({ sourceLabel: 'entered by you', stateLabel: 'awaiting verification' });
    expect(entries.documents).toEqual([]);
  });

  it('shows cases, the plan and the portfolio', async () => {
    const cases = await read<Cases>(mariaUser, 'cases');
    expect(cases).toEqual({ applications: [], disputes: [] });
    const plan = await read<Plan>(mariaUser, 'plan');
    expect(plan).toMatchObject({ items: [], projection: { met: false, sentence: expect.stringContaining('не хватит') } });
    const portfolio = await read<Portfolio>(mariaUser, 'portfolio');
    expect(portfolio).toMatchObject({ portfolio: null, unitLabel: 'ЗЕТ' });
  });

  it('sets the security headers on the API and the page, and never lets the API be cached', async () => {
    const response = await getAs(mariaUser, 'session');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://web.telegram.org");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const refused = await get('cycle');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const redirect = await fetch(`${system.baseUrl}/cabinet`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/cabinet/');
  });
});
