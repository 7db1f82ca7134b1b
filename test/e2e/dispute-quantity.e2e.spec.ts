import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария disputes a module (ИОМ) recorded as 20 ЗЕТ and asks for 50. Her rule set (приказ 709н) counts at
 * most 36 for one module, so the bot refuses 50 at once, says why and what it accepts, and asks again;
 * 36 is taken and the dispute is filed with it. Before, 50 was accepted, approved, and counted as 36.
 */
describe('a dispute asking for more ЗЕТ than the rule set counts is refused at filing (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let entryId: string;
  const last = () => {
    const message = maria.messages().at(-1);
    return message?.text ?? message?.caption ?? '';
  };

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    maria = system.standin.user({ id: 7101, first_name: 'Мария', language_code: 'ru' });
    const person = await createLinkedPerson(system, 7101, { fullName: 'Иванова Мария Петровна' });
    entryId = (
      await system.db.creditEntry.create({
        data: {
          personId: person.id,
          creditTypeCode: 'iom',
          quantity: 20,
          occurredOn: new Date('2026-10-01T00:00:00Z'),
          title: 'Сердечно-лёгочная реанимация',
          source: 'IMPORT',
        },
      })
    ).id;
    await system.db.document.create({
      data: {
        personId: person.id,
        kind: 'CERTIFICATE',
        sha256: 'sha-7101',
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        storageKey: 'k/7101',
        originalName: 'sertifikat.pdf',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('refuses 50 for a module capped at 36, naming the cap, and keeps asking', async () => {
    await maria.sendCommand('/dispute');
    await maria.pressButton('Запись о баллах');
    await maria.pressButton(/Сердечно-лёгочная .* · 20$/);
    await maria.sendText('В сертификате 50 ЗЕТ');
    expect(last()).toContain('Сколько должно быть');
    await maria.sendText('50');
    expect(last()).toBe(
      'По вашим правилам в одной записи этого вида засчитывается не больше 36, поэтому такой спор не примут. ' +
        'Напишите число не больше 36 или нажмите «Пропустить»; если обучений было несколько, добавьте остальные через /add.',
    );
    await maria.sendText('20,5');
    expect(last()).toContain('должно быть кратно 1');
    expect(await system.db.dispute.count()).toBe(0);
  });

  it('takes 36 and files the dispute with it', async () => {
    await maria.sendText('36');
    expect(last()).toContain('Выберите документы');
    await maria.pressButton(/sertifikat\.pdf/);
    await maria.pressButton('Готово');
    expect(last()).toContain('Верное значение: 36');
    await maria.pressButton('✅ Отправить');
    expect(last()).toMatch(/^Спор отправлен\. Рассмотрение до \d\d\.\d\d\.\d{4}\. Решение придёт сюда, в чат\.$/);
    expect(await system.db.dispute.findFirstOrThrow({ where: { subjectId: entryId } })).toMatchObject({ requestedValue: '36' });
  });
});
