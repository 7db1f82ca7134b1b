import JSZip from 'jszip';
import { startSystem, type RunningSystem } from '../support/system';
import type { SimulatedUser } from '../../standin';

const TELEGRAM_ID = 918273645;
const PHONE = '+79161234567';
const FULL_NAME = 'Иванова Мария Петровна';

/** Every text, varchar and json column of every table holding `value`, as "table.column". */
async function placesHolding(system: RunningSystem, value: string): Promise<string[]> {
  const columns = await system.db.$queryRaw<Array<{ table_name: string; column_name: string }>>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`;
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await system.db.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(*) AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`,
      `%${value}%`,
    );
    if (Number(rows[0].n) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe('privacy: what is stored, consents, export and deletion (152-ФЗ)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  const texts = () => maria.messages().map((m) => m.text ?? m.caption ?? '');
  const last = () => texts().at(-1) ?? '';

  beforeAll(async () => {
    system = await startSystem();
    maria = system.standin.user({ id: TELEGRAM_ID, first_name: 'Мария', language_code: 'ru', phone: PHONE });
    await maria.sendCommand('/start');
    await maria.pressButton('Русский');
    await maria.pressButton('✅ Согласен(на)');
    await maria.pressReplyButton('📱 Отправить мой номер');
    await maria.sendText(FULL_NAME.toLowerCase());
    await maria.pressButton('Медсестра / акушерка');
    await maria.sendText('demo');
    await maria.sendText('mary 2345');
    expect(last()).toContain('Готово!');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('shows the policy with the privacy centre, and what is stored about her, computed from the database', async () => {
    await maria.sendCommand('/privacy');
    expect(last()).toContain('Политика обработки персональных данных');
    await maria.pressButton('🗂 Что обо мне хранится');
    expect(last()).toContain('ФИО — сверка со списком сотрудников');
    expect(last()).toContain('номер телефона (зашифрован)');
    expect(last()).not.toContain('СНИЛС (зашифрован) —');
    expect(last()).toContain('записи об обучении: 0');
    expect(last()).toMatch(/обработка персональных данных: дано 25\.11\.2026 \(редакция 2026-11-25\)/);
  });

  it('withdraws and gives again the consent to notifications, journaled, with dates', async () => {
    await maria.pressButton('✍️ Мои согласия');
    await maria.pressButton('Отозвать: напоминания и уведомления');
    expect(texts().at(-2)).toContain('Согласие на уведомления отозвано');
    const withdrawn = await system.db.consent.findFirstOrThrow({ where: { purpose: 'NOTIFICATIONS' } });
    expect(withdrawn.withdrawnAt).not.toBeNull();
    expect(withdrawn.policyVersion).toBe('2026-11-25');

    await maria.pressButton('Дать согласие: напоминания и уведомления');
    expect(await system.db.consent.count({ where: { purpose: 'NOTIFICATIONS', withdrawnAt: null } })).toBe(1);
    expect(await system.db.auditLog.count({ where: { action: { in: ['consent.withdrawn', 'consent.given'] } } })).toBe(3);
  });

  it('explains that withdrawing the processing consent means deletion', async () => {
    await maria.pressButton('Отозвать: обработка персональных данных');
    expect(last()).toContain('отзыв означает удаление');
    expect(await system.db.consent.count({ where: { purpose: 'PERSONAL_DATA_PROCESSING', withdrawnAt: null } })).toBe(1);
  });

  it('sends a ZIP with everything about her, phone decrypted', async () => {
    // She is signed up for a coming seminar and, as the department's admin, holds an API key labelled with her name.
    const person = await system.db.person.findFirstOrThrow();
    const event = await system.db.event.create({
      data: {
        organizationId: person.organizationId!,
        title: 'Сестринский процесс',
        format: 'CONFERENCE',
        kind: 'EVENT',
        startsAt: new Date('2026-12-10T07:00:00Z'),
        endsAt: new Date('2026-12-10T09:00:00Z'),
        place: 'Зал 1',
        zet: 2,
      },
    });
    await system.db.eventRegistration.create({ data: { eventId: event.id, personId: person.id } });
    await system.db.adminApiKey.create({
      data: { organizationId: person.organizationId!, personId: person.id, keyHash: 'hash-of-a-key', label: `ноутбук ${FULL_NAME}` },
    });
    await maria.sendCommand('/export_my_data');
    const message = maria.lastBotMessage()!;
    expect(message.document?.file_name).toBe('nmo-my-data-2026-11-25.zip');
    const zip = await JSZip.loadAsync(maria.fileOf(message));
    const data = JSON.parse(await zip.file('my-data.json')!.async('string'));
    expect(data.fullName).toBe(FULL_NAME);
    expect(data.phone).toBe(PHONE);
    expect(data.phoneEnc).toBeUndefined();
    expect(data.telegramIdentities[0].telegramUserId).toBe(String(TELEGRAM_ID));
    expect(data.consents.map((c: { purpose: string }) => c.purpose)).toContain('PERSONAL_DATA_PROCESSING');
    expect(data.eventRegistrations).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ title: 'Сестринский процесс' }) }),
    ]);
    expect(data.adminApiKeys).toEqual([expect.objectContaining({ label: `ноутбук ${FULL_NAME}` })]);
    expect(JSON.stringify(data)).not.toContain('hash-of-a-key');
  });

  it('deletes nothing on a single confirmation', async () => {
    await maria.sendCommand('/delete_me');
    expect(last()).toContain('Удаление ваших данных');
    await maria.pressButton('Продолжить удаление');
    expect(last()).toContain('Последнее подтверждение');
    // A forged second button (wrong nonce) is refused and spends the first confirmation.
    await maria.pressButton({ messageId: maria.lastBotMessage()!.message_id, data: 'pc:del:2:0000000000000000' });
    expect(last()).toContain('подтверждение устарело');
    const person = await system.db.person.findFirstOrThrow();
    expect(person.fullName).toBe(FULL_NAME);
    expect(person.deletedAt).toBeNull();
    expect(await system.db.telegramIdentity.count()).toBe(1);
    expect(await system.db.destructionRecord.count()).toBe(0);
    // The search below does see a value while it is stored.
    expect(await placesHolding(system, FULL_NAME)).toEqual(expect.arrayContaining(['Person.fullName', 'RosterEntry.fullName']));
  });

  it('after two confirmations leaves no personal value anywhere and records the destruction', async () => {
    await maria.sendCommand('/delete_me');
    await maria.pressButton('Продолжить удаление');
    await maria.pressButton('🗑 Удалить навсегда');
    expect(last()).toContain('Ваши данные удалены');

    for (const value of [FULL_NAME, PHONE, PHONE.slice(1), String(TELEGRAM_ID)]) {
      expect({ value, places: await placesHolding(system, value) }).toEqual({ value, places: [] });
    }
    const record = await system.db.destructionRecord.findFirstOrThrow();
    expect(record.personRef).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(record.destroyed).toMatchObject({
      telegramIdentities: 1,
      rosterEntryAnonymized: true,
      eventSignUpsCancelled: 1,
      adminKeysDeleted: 1,
    });
    expect(await system.db.adminApiKey.count()).toBe(0);
    expect((await system.db.eventRegistration.findFirstOrThrow()).cancelledAt).not.toBeNull();
    expect(record.requestedAt.getTime()).toBeLessThanOrEqual(record.completedAt.getTime());
    expect(await system.db.consent.count({ where: { withdrawnAt: null } })).toBe(0);
  });

  it('starts from scratch when she writes again', async () => {
    await maria.sendCommand('/start');
    expect(last()).toBe('Выберите язык / Choose your language');
    const people = await system.db.person.findMany({ orderBy: { createdAt: 'asc' } });
    expect(people).toHaveLength(2);
    expect(people.filter((p) => p.deletedAt === null)[0].onboardingStep).toBe('LANGUAGE');
  });
});
