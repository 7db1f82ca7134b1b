import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import type { Event } from '../../generated/prisma/client';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson, createOrgAdmin } from '../../test/support/people';

const TOKEN = 'test-admin-token-0123456789abcdef';

describe('attendance codes through the admin API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let api: AdminTestApp;
  let alphaKey: string;
  let alphaEvent: Event;
  let betaEvent: Event;

  const call = (method: string, path: string, token: string, json?: unknown) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });

  const eventOf = (organizationId: string, title: string) =>
    db.event.create({
      data: {
        organizationId,
        title,
        format: 'WEBINAR',
        kind: 'EVENT',
        startsAt: new Date('2026-11-24T07:00:00Z'),
        endsAt: new Date('2026-11-24T10:00:00Z'),
        zet: 3,
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    api = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN);
    for (const code of ['ALPHA', 'BETA'])
      expect((await call('POST', '/admin/organizations', TOKEN, { code, name: `Больница ${code}` })).status).toBe(201);
    await createOrgAdmin({ db }, 7101, { organizationCode: 'ALPHA', externalId: 'A-1' });
    const issued = await call('POST', '/admin/organizations/ALPHA/admins/A-1/keys', TOKEN, {});
    expect(issued.status).toBe(201);
    alphaKey = ((await issued.json()) as { key: string }).key;
    alphaEvent = await eventOf((await db.organization.findUniqueOrThrow({ where: { code: 'ALPHA' } })).id, 'Вебинар Альфы');
    betaEvent = await eventOf((await db.organization.findUniqueOrThrow({ where: { code: 'BETA' } })).id, 'Вебинар Беты');
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("lets an organization's admin issue a shared code once, list who claimed, and revoke", async () => {
    const response = await call('POST', `/admin/organizations/ALPHA/events/${alphaEvent.id}/codes`, alphaKey, {
      mode: 'shared',
      maxClaims: 20,
      validForDays: 3,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { codes: Array<{ code: string; link: string; maxClaims: number; expiresAt: string }> };
    expect(body.codes).toHaveLength(1);
    const [issued] = body.codes;
    expect(issued).toMatchObject({ maxClaims: 20, expiresAt: '2026-11-28T09:00:00.000Z' });
    expect(issued.link).toBe(`https://t.me/nmo_test_bot?start=code_${issued.code}`);
    expect(await db.auditLog.count({ where: { action: 'attendance-codes.issued', actorType: 'admin', subjectId: alphaEvent.id } })).toBe(1);

    const nurse = await createLinkedPerson({ db }, 7102, { organizationCode: 'ALPHA', fullName: 'Сестрова Нина' });
    const claimed = await db.$transaction(async (tx) => {
      // Claiming is the bot's job; here only the listing is under test, so one claim is written as the service would.
      const code = await tx.attendanceCode.findFirstOrThrow({ where: { eventId: alphaEvent.id } });
      await tx.attendanceCode.update({ where: { id: code.id }, data: { claimCount: 1 } });
      return tx.attendanceClaim.create({ data: { eventId: alphaEvent.id, personId: nurse.id, codeId: code.id } });
    });
    const listing = await call('GET', `/admin/organizations/ALPHA/events/${alphaEvent.id}/claims`, alphaKey);
    expect(listing.status).toBe(200);
    const claims = (await listing.json()) as { claims: unknown[]; codes: Array<{ claimCount: number }> };
    expect(claims.claims).toEqual([
      expect.objectContaining({
        personId: nurse.id,
        fullName: 'Сестрова Нина',
        claimedAt: claimed.claimedAt.toISOString(),
        personalCode: false,
      }),
    ]);
    expect(claims.codes).toEqual([expect.objectContaining({ claimCount: 1, maxClaims: 20, revokedAt: null })]);
    expect(JSON.stringify(claims)).not.toContain(issued.code);

    const revoked = await call('POST', `/admin/organizations/ALPHA/events/${alphaEvent.id}/codes/revoke`, alphaKey, {});
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ revoked: 1 });
  });

  it("refuses another organization's key with 403 and another organization's event with 404", async () => {
    const otherOrganization = await call('POST', `/admin/organizations/BETA/events/${betaEvent.id}/codes`, alphaKey, {
      mode: 'shared',
      maxClaims: 5,
    });
    expect(otherOrganization.status).toBe(403);
    expect((await call('GET', `/admin/organizations/BETA/events/${betaEvent.id}/claims`, alphaKey)).status).toBe(403);

    const foreignEvent = await call('POST', `/admin/organizations/ALPHA/events/${betaEvent.id}/codes`, alphaKey, {
      mode: 'shared',
      maxClaims: 5,
    });
    expect(foreignEvent.status).toBe(404);
    expect(JSON.stringify(await foreignEvent.json())).not.toContain('Беты');
    expect((await call('GET', `/admin/organizations/ALPHA/events/${betaEvent.id}/claims`, alphaKey)).status).toBe(404);
    expect((await call('POST', `/admin/organizations/ALPHA/events/${betaEvent.id}/codes/revoke`, alphaKey, {})).status).toBe(404);
    expect((await call('GET', '/admin/organizations/ALPHA/events/not-a-uuid/claims', alphaKey)).status).toBe(404);
    expect(await db.attendanceCode.count({ where: { eventId: betaEvent.id } })).toBe(0);

    // The platform operator reaches every organization's events.
    expect(
      (await call('POST', `/admin/organizations/BETA/events/${betaEvent.id}/codes`, TOKEN, { mode: 'shared', maxClaims: 5 })).status,
    ).toBe(201);
  });

  it('names what is wrong with a request', async () => {
    const path = `/admin/organizations/ALPHA/events/${alphaEvent.id}/codes`;
    const noLimit = await call('POST', path, alphaKey, { mode: 'shared' });
    expect(noLimit.status).toBe(400);
    expect(JSON.stringify(await noLimit.json())).toContain('maxClaims');
    expect(
      (await call('POST', path, alphaKey, { mode: 'shared', maxClaims: 5, validForDays: 3, expiresAt: '2026-12-01T00:00:00Z' })).status,
    ).toBe(400);
    expect((await call('POST', path, alphaKey, { mode: 'shared', maxClaims: 5, expiresAt: '2026-11-01T00:00:00Z' })).status).toBe(422);
    const nobody = await call('POST', path, alphaKey, { mode: 'personal' });
    expect(nobody.status).toBe(201);
    expect(await nobody.json()).toMatchObject({ codes: [] });
  });
});
