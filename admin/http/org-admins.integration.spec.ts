import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson } from '../../test/support/people';

const TOKEN = 'test-admin-token-0123456789abcdef';

describe('organization admins and their API keys', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let api: AdminTestApp;

  const call = (method: string, path: string, token: string, json?: unknown) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    api = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN);
    for (const code of ['ALPHA', 'BETA'])
      expect((await call('POST', '/admin/organizations', TOKEN, { code, name: `Больница ${code}` })).status).toBe(201);
    await createLinkedPerson({ db }, 7001, { organizationCode: 'ALPHA', externalId: 'A-1', fullName: 'Админова Анна' });
    await createLinkedPerson({ db }, 7002, { organizationCode: 'ALPHA', externalId: 'A-2' });
    await db.rosterEntry.create({
      data: {
        organizationId: (await db.organization.findUniqueOrThrow({ where: { code: 'ALPHA' } })).id,
        externalId: 'A-3',
        fullName: 'Не связан',
        category: 'NURSE',
      },
    });
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  async function issueKey(externalId: string): Promise<string> {
    const response = await call('POST', `/admin/organizations/ALPHA/admins/${externalId}/keys`, TOKEN, { label: 'отдел обучения' });
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: string }).key;
  }

  it('grants the role to a roster entry (its person has it when they link), and journals it', async () => {
    const unlinked = await call('PUT', '/admin/organizations/ALPHA/admins/A-3', TOKEN);
    expect(unlinked.status).toBe(200);
    expect(await unlinked.json()).toMatchObject({ personId: null, changed: true });
    expect((await call('POST', '/admin/organizations/ALPHA/admins/A-3/keys', TOKEN, {})).status).toBe(422);
    expect((await call('DELETE', '/admin/organizations/ALPHA/admins/A-3', TOKEN)).status).toBe(200);
    expect((await call('PUT', '/admin/organizations/ALPHA/admins/NOPE', TOKEN)).status).toBe(404);
    expect((await call('POST', '/admin/organizations/ALPHA/admins/A-1/keys', TOKEN, {})).status).toBe(422);
    const granted = await call('PUT', '/admin/organizations/ALPHA/admins/A-1', TOKEN);
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ role: 'ADMIN', changed: true, fullName: 'Админова Анна' });
    expect((await db.person.findFirstOrThrow({ where: { fullName: 'Админова Анна' } })).orgRole).toBe('ADMIN');
    const journal = await db.auditLog.findMany({ where: { action: 'org-admin.granted' }, orderBy: { at: 'asc' } });
    expect(journal).toHaveLength(2);
    expect(journal[1]).toMatchObject({ before: { role: 'MEMBER', personRole: 'MEMBER' }, after: { role: 'ADMIN', personRole: 'ADMIN' } });
  });

  it('lets an admin key act on its own organization and refuses another organization and platform routes', async () => {
    const key = await issueKey('A-1');
    expect(key).toMatch(/^nmoorg_/);
    const own = await call('GET', '/admin/organizations/ALPHA', key);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ code: 'ALPHA' });
    const other = await call('GET', '/admin/organizations/BETA', key);
    expect(other.status).toBe(403);
    expect(JSON.stringify(await other.json())).not.toContain('Больница BETA');
    expect((await call('POST', '/admin/organizations', key, { code: 'GAMMA', name: 'x' })).status).toBe(403);
    expect((await call('GET', '/admin/rule-sets', key)).status).toBe(403);
    const listed = (await (await call('GET', '/admin/organizations/ALPHA/admins', key)).json()) as {
      admins: Array<{ externalId: string; keys: unknown[] }>;
    };
    expect(listed.admins).toEqual([
      expect.objectContaining({ externalId: 'A-1', linked: true, keys: [expect.objectContaining({ label: 'отдел обучения' })] }),
    ]);
  });

  it('stops a key the moment its person loses the role, and a revoked key at once', async () => {
    const key = await issueKey('A-1');
    expect((await call('GET', '/admin/organizations/ALPHA', key)).status).toBe(200);
    expect((await call('DELETE', '/admin/organizations/ALPHA/admins/A-1', TOKEN)).status).toBe(200);
    expect((await call('GET', '/admin/organizations/ALPHA', key)).status).toBe(401);

    expect((await call('PUT', '/admin/organizations/ALPHA/admins/A-2', TOKEN)).status).toBe(200);
    const second = await issueKey('A-2');
    const { id } = await db.adminApiKey.findFirstOrThrow({ where: { revokedAt: null }, orderBy: { createdAt: 'desc' } });
    expect((await call('DELETE', `/admin/organizations/ALPHA/admin-keys/${id}`, second)).status).toBe(204);
    expect((await call('GET', '/admin/organizations/ALPHA', second)).status).toBe(401);
  });

  it('does not take a made-up key for the platform token', async () => {
    expect((await call('GET', '/admin/organizations/ALPHA', 'nmoorg_' + 'x'.repeat(32))).status).toBe(401);
  });
});
