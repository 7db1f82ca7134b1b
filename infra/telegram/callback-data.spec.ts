import { callbackButton, callbackData, callbackPattern } from './callback-data';
import { CALLBACK_DATA_MAX_BYTES, button, code, uuid, type ButtonPayload, type Field } from './callback-schema';

const buttons = Object.entries(callbackButton) as [string, ButtonPayload][];

/** Each field's candidate values: every word of a fixed set, otherwise its longest accepted text. */
function candidates(field: Field): unknown[] {
  const words = /^\(\?:([^()[\]]+)\)$/.exec(field.source)?.[1]?.split('|');
  const values: unknown[] = words ?? [field.decode(field.longest)];
  return field.optional ? [...values, undefined] : values;
}

function combinations(fields: readonly Field[]): unknown[][] {
  return fields.reduce<unknown[][]>((rows, field) => rows.flatMap((row) => candidates(field).map((value) => [...row, value])), [[]]);
}

/** Every payload each declaration can write, at its largest field values and with every word of a fixed set. */
const written = buttons.flatMap(([name, payload]) =>
  combinations(payload.fields).map((values) => ({ name, payload, values, data: (payload.data as (...v: unknown[]) => string)(...values) })),
);

describe('button payloads', () => {
  it('declares a good number of them, each written at least once here', () => {
    expect(buttons.length).toBeGreaterThan(100);
    expect(new Set(written.map((w) => w.name)).size).toBe(buttons.length);
  });

  it.each(written.map((w) => [w.data, w]))('%s reads back to the values it was written from', (_data, { payload, values }) => {
    const parsed = payload.parse(_data);
    expect(parsed).not.toBeNull();
    expect(payload.fields.map((f) => (parsed as Record<string, unknown>)[f.name])).toEqual(values);
    expect(payload.pattern.test(_data)).toBe(true);
  });

  it('fits Telegram’s 64 bytes at the largest values every field accepts', () => {
    for (const { data } of written) expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    for (const [, payload] of buttons) {
      expect(Buffer.byteLength(payload.longest, 'utf8')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(payload.pattern.test(payload.longest)).toBe(true);
    }
  });

  it('never lets a payload of one kind match another kind', () => {
    const clashes = written.flatMap(({ name, data }) =>
      buttons
        .filter(([other, payload]) => other !== name && payload.pattern.test(data))
        .map(([other]) => `${data} (${name}) matches ${other}`),
    );
    expect(clashes).toEqual([]);
  });

  it('keeps the wire format of buttons already sent to people’s chats', () => {
    const id = '0123abcd-0000-4000-8000-00000000abcd';
    expect(callbackData.disputeKind('ab12cd34', 'e')).toBe('dsp:k:ab12cd34:e');
    expect(callbackData.reviewDecide('r', 'i', id)).toBe(`rv:r:i:${id}`);
    expect(callbackData.settingsQuietPreset(1320, 420)).toBe('set:quiet:1320-420');
    expect(callbackData.portfolioItems).toBe('pf:items');
    expect(callbackData.portfolioItemsPage(2)).toBe('pf:items:2');
    expect(callbackData.eventsList).toBe('ev:list');
    expect(callbackData.eventsPage(3)).toBe('ev:list:3');
    expect(callbackData.entryDeleteConfirmed(id)).toBe(`entry:del!:${id}`);
    expect(callbackData.announceAudience('ab12cd34', '-')).toBe('ann:a:ab12cd34:-');
    expect(callbackData.privacyDeleteFirst).toBe('pc:del:1');
  });

  it('routes on the matcher the declaration made, captures in the declared order', () => {
    const id = '0123abcd-0000-4000-8000-00000000abcd';
    expect(callbackPattern.entryEdit).toBe(callbackButton.entryEdit.pattern);
    expect([...('entry:q:' + id).match(callbackPattern.entryEdit)!]).toEqual([`entry:q:${id}`, 'q', id]);
    expect(callbackButton.supportRate.parse(`sup:r:${id}:4`)).toEqual({ ticketId: id, rating: 4 });
    expect(callbackButton.portfolioItems.parse('pf:items')).toEqual({ page: undefined });
  });

  it('takes a stale wizard button for its kind, so the handler can say it is stale', () => {
    expect(callbackButton.addConfirm.parse('add:ok:deadbeef')).toEqual({ nonce: 'deadbeef' });
    expect(callbackButton.addConfirm.parse('add:ok:')).toBeNull();
  });

  it('lets only the review buttons through the agents’ gate', () => {
    const reviews = new Set(['reviewOpen', 'reviewDecide', 'reviewErrorCode']);
    for (const { name, data } of written) expect([name, callbackPattern.reviewAny.test(data)]).toEqual([name, reviews.has(name)]);
  });

  it('refuses to write a value its own matcher would not read', () => {
    expect(() => callbackData.addType('ab12cd34', 'x'.repeat(41))).toThrow(/add:t/);
    expect(() => callbackData.entryCard('not-a-uuid')).toThrow(/entry/);
    expect(() => callbackData.settingsZone('Europe/Moscow')).not.toThrow();
  });

  it('refuses a declaration whose longest payload would exceed 64 bytes', () => {
    expect(() => button('two:ids', uuid('a'), uuid('b'))).toThrow(/over Telegram's 64/);
    expect(() => button('c', code('word', '[a-z]', 62))).not.toThrow();
  });
});
