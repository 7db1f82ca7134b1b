import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../../standin';
import { startWorkerApp } from '../../worker/app';
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

/**
 * #12.4: the status file was dropped at 08:55 while the worker was being redeployed. When the worker
 * comes up it finds the file waiting and applies it at once: no watch event will ever announce a file
 * that was there before the watch began, and the next hourly run may be almost an hour away.
 */
describe('registry file waiting when the worker starts (ru)', () => {
  let system: RunningSystem;
  let dir: string;
  let worker: Awaited<ReturnType<typeof startWorkerApp>> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'registry-start-'));
    system = await startSystem({ now: new Date('2026-11-25T09:05:00+03:00'), env: { REGISTRY_DIR: dir } });
    system.standin.user({ id: 7402, first_name: 'Ольга', language_code: 'ru' });
    const person = await system.db.person.create({
      data: { fullName: 'Смирнова Ольга Ивановна', onboardingStep: 'LINKED', language: 'ru' },
    });
    await system.db.telegramIdentity.create({ data: { telegramUserId: 7402n, chatId: 7402n, personId: person.id } });
    await system.db.application.create({
      data: {
        personId: person.id,
        kind: 'accreditation',
        title: 'Первичная специализированная аккредитация',
        externalRef: 'NMO-2026-778',
        status: 'UNDER_REVIEW',
        statusChangedAt: new Date('2026-11-20T10:00:00+03:00'),
      },
    });
  });

  afterAll(async () => {
    await worker?.close();
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the file at start and tells the person, without waiting for the hourly run', async () => {
    writeFileSync(
      path.join(dir, 'application-statuses-0855.csv'),
      'Номер заявления;Статус;Дата;Комментарий\nNMO-2026-778;Требуются действия;25.11.2026;Нужна справка с места работы\n',
    );
    worker = await startWorkerApp(system.config, { clock: system.clock });
    const call = await system.standin.waitForCall(sent(7402, 'Нужна справка с места работы'), { timeoutMs: 20_000 });
    expect(call.params.text).toContain('Первичная специализированная аккредитация');
    expect(existsSync(path.join(dir, 'application-statuses-0855.csv'))).toBe(false);
  });
});

function sent(chatId: number, fragment: string) {
  return (c: CallRecord) => c.method === 'sendMessage' && c.chatId === chatId && String(c.params.text).includes(fragment);
}
