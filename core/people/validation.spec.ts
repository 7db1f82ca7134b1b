import { normaliseFullName, normaliseInn, normalisePhone, normaliseSnils, sameFullName } from './validation';

describe('personal field validation', () => {
  it.each([
    ['79161234567', '+79161234567'],
    ['+7 (916) 123-45-67', '+79161234567'],
    ['8 916 123 45 67', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['+375291234567', '+375291234567'],
  ])('reads the phone %s as %s', (input, expected) => {
    expect(normalisePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['12', 'phone', '+7 916 abc', '0123456789'])('refuses the phone %s', (input) => {
    expect(normalisePhone(input)).toEqual({ ok: false, reason: 'phone-format' });
  });

  it('accepts a СНИЛС whose checksum holds and refuses one whose does not', () => {
    // 112-233-445 95: 1·9+1·8+2·7+2·6+3·5+3·4+4·3+4·2+5·1 = 95
    expect(normaliseSnils('112-233-445 95')).toEqual({ ok: true, value: '11223344595' });
    expect(normaliseSnils('112-233-445 96')).toEqual({ ok: false, reason: 'snils-checksum' });
    expect(normaliseSnils('1122334459')).toEqual({ ok: false, reason: 'snils-format' });
  });

  it('accepts valid ИНН of an organization and of a person and refuses a broken one', () => {
    expect(normaliseInn('7707083893')).toEqual({ ok: true, value: '7707083893' });
    expect(normaliseInn('500100732259')).toEqual({ ok: true, value: '500100732259' });
    expect(normaliseInn('7707083894')).toEqual({ ok: false, reason: 'inn-checksum' });
    expect(normaliseInn('77070838')).toEqual({ ok: false, reason: 'inn-format' });
  });

  it('tidies a full name and refuses what is not one', () => {
    expect(normaliseFullName('  иванова   мария петровна ')).toEqual({ ok: true, value: 'Иванова Мария Петровна' });
    expect(normaliseFullName("Д'Артаньян Шарль-Огюст")).toEqual({ ok: true, value: "Д'Артаньян Шарль-Огюст" });
    expect(normaliseFullName('Мария')).toEqual({ ok: false, reason: 'name-words' });
    expect(normaliseFullName('Иванова Мария 2')).toEqual({ ok: false, reason: 'name-characters' });
    expect(normaliseFullName('Я'.repeat(5000))).toEqual({ ok: false, reason: 'name-too-long' });
    expect(normaliseFullName('   ')).toEqual({ ok: false, reason: 'name-empty' });
  });

  it('compares names the way a clerk would', () => {
    expect(sameFullName('Семёнова Алёна', 'семенова  алена')).toBe(true);
    expect(sameFullName('Семёнова Алёна', 'Семенова Елена')).toBe(false);
  });
});
