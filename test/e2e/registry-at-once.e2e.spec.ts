import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../../standin';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * R-SYNC «critical changes at once»: the registry drops a status file in the folder at 14:20, and Мария
 * learns within seconds that her application needs action — not at the next hourly run.
 */
describe('registry file applied at once (ru)', () => {
  let system: RunningSystem;
  let dir: string;

  const sent = (chatId: number, fragment: string) => (c: CallRecord) =>
    c.method === 'sendMessage' && c.chatId === chatId && String(c.params.text).includes(fragment);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'registry-now-'));
    system = await startSystem({ now: new Date('2026-11-25T14:20:00+03:00'), worker: true, env: { REGISTRY_DIR: dir } });
    system.standin.user({ id: 7401, first_name: 'Мария', language_code: 'ru' });
    const person = await system.db.person.create({
      data: { fullName: 'Иванова Мария Петровна', onboardingStep: 'LINKED', language: 'ru' },
    });
    await system.db.telegramIdentity.create({ data: { telegramUserId: 7401n, chatId: 7401n, personId: person.id } });
    await system.db.application.create({
      data: {
        personId: person.id,
        kind: 'accreditation',
        title: 'Периодическая аккредитация',
        externalRef: 'NMO-2026-777',
        status: 'UNDER_REVIEW',
        statusChangedAt: new Date('2026-11-20T10:00:00+03:00'),
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs a dropped file and tells the person without waiting for the hourly run', async () => {
    writeFileSync(
      path.join(dir, 'application-statuses-urgent.csv'),
      'Номер заявления;Статус;Дата;Комментарий\nNMO-2026-777;Требуются действия;25.11.2026;Нужна копия диплома\n',
    );
    const call = await system.standin.waitForCall(sent(7401, 'Нужна копия диплома'), { timeoutMs: 20_000 });
    expect(call.params.text).toContain('Периодическая аккредитация');
    expect(existsSync(path.join(dir, 'application-statuses-urgent.csv'))).toBe(false);
    const runs = await system.db.syncRun.findMany({ where: { ok: true } });
    expect(runs.length).toBeGreaterThanOrEqual(1);
  });

  it('ignores files the registry does not read', async () => {
    const before = await system.db.syncRun.count();
    writeFileSync(path.join(dir, 'notes.txt'), 'not a registry file');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await system.db.syncRun.count()).toBe(before);
    expect(existsSync(path.join(dir, 'notes.txt'))).toBe(true);
  });
});
