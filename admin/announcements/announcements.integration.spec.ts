import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson } from '../../test/support/people';

const TOKEN = 'test-admin-token-0123456789abcdef';

/** An admin announces to the nurses of their hospital through the API, and reads the counts back; another hospital's key sees nothing. */
describe('announcements through the admin API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let api: AdminTestApp;
  let alphaKey: string;
  let betaKey: string;

  const call = (method: string, path: string, token: string, json?: unknown) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });

  async function keyFor(code: string, externalId: string): Promise<string> {
    const response = await call('POST', `/admin/organizations/${code}/admins/${externalId}/keys`, TOKEN, {});
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: string }).key;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    api = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN);
    for (const code of ['ALPHA', 'BETA'])
      expect((await call('POST', '/admin/organizations', TOKEN, { code, name: `Больница ${code}` })).status).toBe(201);
    await createLinkedPerson({ db }, 9001, { organizationCode: 'ALPHA', externalId: 'A-1', category: 'ADMINISTRATOR', orgRole: 'ADMIN' });
    await createLinkedPerson({ db }, 9101, { organizationCode: 'BETA', externalId: 'B-1', category: 'ADMINISTRATOR', orgRole: 'ADMIN' });
    for (let i = 0; i < 3; i++) await createLinkedPerson({ db }, 9010 + i, { organizationCode: 'ALPHA', category: 'NURSE' });
    await createLinkedPerson({ db }, 9020, { organizationCode: 'ALPHA', category: 'DOCTOR' });
    // Withdrew the notifications consent: not written to.
    const withdrawn = await createLinkedPerson({ db }, 9021, { organizationCode: 'ALPHA', category: 'NURSE' });
    await db.consent.create({ data: { personId: withdrawn.id, purpose: 'NOTIFICATIONS', policyVersion: '1', withdrawnAt: new Date() } });
    await createLinkedPerson({ db }, 9102, { organizationCode: 'BETA', category: 'NURSE' });
    alphaKey = await keyFor('ALPHA', 'A-1');
    betaKey = await keyFor('BETA', 'B-1');
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('queues one notification per nurse of the organization, journaled, and reports the counts', async () => {
    const sent = await call('POST', '/admin/organizations/ALPHA/announcements', alphaKey, {
      category: 'NURSE',
      text: 'Завтра в 10:00 — вебинар по СЛР <онлайн>',
    });
    expect(sent.status).toBe(201);
    const { id, recipients } = (await sent.json()) as { id: string; recipients: number };
    expect(recipients).toBe(3);
    const rows = await db.notification.findMany({ where: { kind: 'announcement', subjectId: id } });
    expect(rows).toHaveLength(3);
    expect(api.dispatched.filter((n) => rows.some((r) => r.id === n))).toHaveLength(3);
    expect(await db.auditLog.count({ where: { action: 'announcement.sent', subjectId: id } })).toBe(1);

    await db.notification.update({ where: { id: rows[0].id }, data: { state: 'SENT' } });
    await db.notification.update({
      where: { id: rows[1].id },
      data: { state: 'FAILED', lastError: 'Forbidden: bot was blocked by the user' },
    });
    const counts = await call('GET', `/admin/organizations/ALPHA/announcements/${id}`, alphaKey);
    expect(await counts.json()).toMatchObject({ recipients: 3, delivered: 1, blocked: 1, failed: 0, pending: 1 });

    // Another hospital's key: refused on ALPHA's path, and the id is unknown on its own.
    expect((await call('GET', `/admin/organizations/ALPHA/announcements/${id}`, betaKey)).status).toBe(403);
    expect((await call('GET', `/admin/organizations/BETA/announcements/${id}`, betaKey)).status).toBe(404);
    expect((await call('POST', '/admin/organizations/BETA/announcements', alphaKey, { text: 'чужим' })).status).toBe(403);
  });

  it('refuses an empty or too long text', async () => {
    expect((await call('POST', '/admin/organizations/ALPHA/announcements', alphaKey, { text: '   ' })).status).toBe(422);
    expect((await call('POST', '/admin/organizations/ALPHA/announcements', alphaKey, { text: 'я'.repeat(4090) })).status).toBe(422);
    expect(
      (await call('POST', '/admin/organizations/ALPHA/announcements', alphaKey, { category: 'SANITARY', text: 'никому' })).status,
    ).toBe(422);
  });
});
