import { fakeExe, tinyHeic, tinyJpeg, tinyPdf, tinyPng } from '../../core/documents/fixtures';
import { dbDateOf } from '../../core/shared/local-date';
import { compactId } from '../../bot/callback-data/compact-id';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга, a linked nurse, sends her certificates as files and photos: each is checked by its content,
 * kept once, described, and attached to her own credit entry. A renamed program, a sticker, an oversize
 * file and a crafted button with someone else's document get a clear answer and reveal nothing.
 */
describe('Ольга uploads her documents and attaches one to a course', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let olgaId: string;
  let entryId: string;

  async function linkedPerson(telegramId: number, fullName: string): Promise<string> {
    const person = await createLinkedPerson(system, telegramId, {
      fullName,
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2023-03-15'),
    });
    return person.id;
  }

  beforeAll(async () => {
    system = await startSystem({ env: { DOCUMENT_MAX_BYTES: String(20 * 1024 * 1024) } });
    olga = system.standin.user({ id: 7001, first_name: 'Ольга', language_code: 'ru' });
    olgaId = await linkedPerson(7001, 'Смирнова Ольга Ивановна');
    const entry = await system.db.creditEntry.create({
      data: { personId: olgaId, creditTypeCode: 'pk', quantity: 36, occurredOn: dbDateOf('2026-10-01'), title: 'Сестринское дело' },
    });
    entryId = entry.id;
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = () => olga.messages().map((m) => m.text ?? m.caption ?? '');
  const last = () => texts().at(-1) ?? '';
  const documents = () => system.db.document.findMany({ where: { personId: olgaId }, orderBy: { createdAt: 'asc' } });

  it('keeps a PDF sent as a file and asks what it is', async () => {
    await olga.sendDocument({ buffer: tinyPdf('удостоверение'), file_name: 'удостоверение.pdf', mime_type: 'application/pdf' });
    await olga.waitForReply();
    expect(last()).toContain('✅ Документ сохранён: PDF');
    expect(last()).toContain('Что это за документ?');
    await olga.pressButton('Сертификат');
    await olga.waitForReply();
    expect(last()).toBe('Вид документа: Сертификат.');
    expect(await documents()).toEqual([
      expect.objectContaining({ mediaType: 'application/pdf', kind: 'CERTIFICATE', originalName: 'удостоверение.pdf' }),
    ]);
  });

  it('keeps a JPEG photo, a PNG and a HEIC file, each typed by its content', async () => {
    await olga.sendPhoto({ buffer: tinyJpeg(3) });
    await olga.waitForReply();
    expect(last()).toContain('Документ сохранён: JPEG');
    await olga.sendDocument({ buffer: tinyPng(5), file_name: 'scan.png', mime_type: 'image/png' });
    await olga.waitForReply();
    expect(last()).toContain('Документ сохранён: PNG');
    await olga.sendDocument({ buffer: tinyHeic(), file_name: 'IMG_0001.HEIC', mime_type: 'image/heic' });
    await olga.waitForReply();
    expect(last()).toContain('Документ сохранён: HEIC');
    expect((await documents()).map((d) => d.mediaType)).toEqual(['application/pdf', 'image/jpeg', 'image/png', 'image/heic']);
  });

  it('refuses a renamed .exe by its content, and a sticker, saving nothing', async () => {
    await olga.sendDocument({ buffer: fakeExe(), file_name: 'диплом.pdf', mime_type: 'application/pdf' });
    await olga.waitForReply();
    expect(last()).toContain('Такой файл не принимаем');
    await (olga as unknown as { post(content: object, opts: object): Promise<unknown> }).post(
      {
        sticker: {
          file_id: 'CAACAgIAAx',
          file_unique_id: 'AgAD',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      },
      {},
    );
    await olga.waitForReply();
    expect(last()).toContain('Это не документ');
    expect(await documents()).toHaveLength(4);
  });

  it('refuses a 30 MB file before downloading it, naming the 20 MB limit and the local Bot API server', async () => {
    const getFileCalls = system.standin.calls('getFile').length;
    await olga.sendDocument({ buffer: Buffer.alloc(30 * 1024 * 1024, 0x25), file_name: 'большой.pdf', mime_type: 'application/pdf' });
    await olga.waitForReply();
    expect(last()).toContain('Файл больше 20 МБ');
    expect(last()).toContain('Bot API');
    expect(system.standin.calls('getFile')).toHaveLength(getFileCalls);
  });

  it('recognises the same PDF sent again as a duplicate', async () => {
    await olga.sendDocument({ buffer: tinyPdf('удостоверение'), file_name: 'копия.pdf', mime_type: 'application/pdf' });
    await olga.waitForReply();
    expect(last()).toContain('Этот файл уже загружен');
    expect(await documents()).toHaveLength(4);
  });

  it('lists her documents with their kind, type, size and the duplicate note', async () => {
    await olga.sendCommand('/documents');
    await olga.waitForReply();
    expect(last()).toContain('Ваши документы');
    expect(last()).toMatch(/Сертификат, PDF, \d+ КБ · удостоверение\.pdf · присылали повторно: 1/);
    expect(last()).toContain('HEIC');
  });

  it('attaches the PDF to her course from the list', async () => {
    const [pdf] = await documents();
    const list = olga.messages().at(-1)!;
    expect(JSON.stringify(list.reply_markup)).toContain(`doc:a:${compactId(pdf.id)}`);
    await olga.pressButton({ messageId: list.message_id, data: `doc:a:${compactId(pdf.id)}` });
    await olga.waitForReply();
    expect(last()).toContain('К какой записи прикрепить документ');
    await olga.pressButton(/01\.10\.2026/);
    await olga.waitForReply();
    expect(last()).toContain('прикреплён к записи');
    expect((await system.db.creditEntry.findUniqueOrThrow({ where: { id: entryId } })).documentId).toBe(pdf.id);
    expect(await system.db.documentLink.count({ where: { documentId: pdf.id, subjectType: 'CREDIT_ENTRY', subjectId: entryId } })).toBe(1);
  });

  it("refuses a crafted button with another person's document, revealing nothing", async () => {
    const otherId = await linkedPerson(7002, 'Кузнецов Пётр Петрович');
    const other = await system.db.document.create({
      data: {
        personId: otherId,
        kind: 'DIPLOMA',
        sha256: 'f'.repeat(64),
        mediaType: 'application/pdf',
        sizeBytes: 10,
        storageKey: `ff/ff/${'f'.repeat(64)}`,
        originalName: 'секретный-диплом.pdf',
      },
    });
    const anyMessage = olga.messages().at(-1)!;
    const attachMenu = await olga.pressButton({ messageId: anyMessage.message_id, data: `doc:a:${compactId(other.id)}` });
    expect((await olga.waitForAnswer(attachMenu))?.text).toBe('Документ не найден.');
    const attach = await olga.pressButton({ messageId: anyMessage.message_id, data: `doc:e:${compactId(other.id)}:${compactId(entryId)}` });
    expect((await olga.waitForAnswer(attach))?.text).toBe('Документ не найден.');
    const kind = await olga.pressButton({ messageId: anyMessage.message_id, data: `doc:k:${compactId(other.id)}:o` });
    expect((await olga.waitForAnswer(kind))?.text).toBe('Документ не найден.');
    expect(JSON.stringify(olga.messages())).not.toContain('секретный');
    expect((await system.db.document.findUniqueOrThrow({ where: { id: other.id } })).kind).toBe('DIPLOMA');
    expect((await system.db.creditEntry.findUniqueOrThrow({ where: { id: entryId } })).documentId).not.toBe(other.id);
  });

  it('answers a stale or malformed document button without crashing', async () => {
    const anyMessage = olga.messages().at(-1)!;
    const stale = await olga.pressButton({ messageId: anyMessage.message_id, data: 'doc:a:garbage' });
    expect((await olga.waitForAnswer(stale))?.text).toBe('Эта кнопка устарела. Продолжим с текущего шага.');
    expect(system.standin.calls('sendMessage').some((c) => String(c.params.text ?? '').includes('Что-то пошло не так'))).toBe(false);
  });
});
