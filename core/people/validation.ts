/**
 * Field checks shared by every flow that asks for personal data. Each returns the normalised value or
 * a reason code; the bot turns the code into a translated sentence (locales: `validation.<code>`).
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (reason: string): Checked<never> => ({ ok: false, reason });

/** Russian mobile and landline numbers as +7XXXXXXXXXX; Telegram sends contacts without the plus. */
export function normalisePhone(input: string): Checked<string> {
  const digits = input.replace(/[\s()+\-.]/g, '');
  if (!/^\d+$/.test(digits)) return fail('phone-format');
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return ok(`+7${digits.slice(1)}`);
  if (digits.length === 10 && digits[0] === '9') return ok(`+7${digits}`);
  if (digits.length >= 8 && digits.length <= 15 && digits[0] !== '0') return ok(`+${digits}`);
  return fail('phone-format');
}

/** СНИЛС: 11 digits, the last two a checksum of the first nine (numbers up to 001-001-998 carry none). */
export function normaliseSnils(input: string): Checked<string> {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(digits)) return fail('snils-format');
  const body = digits.slice(0, 9);
  if (Number(body) <= 1001998) return ok(digits);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum % 101;
  if (check === 100) check = 0;
  return check === Number(digits.slice(9)) ? ok(digits) : fail('snils-checksum');
}

const INN10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innDigit(digits: string, weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  return (sum % 11) % 10;
}

/** ИНН of an organization (10 digits) or a person (12 digits), with its control digits. */
export function normaliseInn(input: string): Checked<string> {
  const digits = input.replace(/\s/g, '');
  if (!/^(\d{10}|\d{12})$/.test(digits)) return fail('inn-format');
  const valid =
    digits.length === 10
      ? innDigit(digits, INN10) === Number(digits[9])
      : innDigit(digits, INN11) === Number(digits[10]) && innDigit(digits, INN12) === Number(digits[11]);
  return valid ? ok(digits) : fail('inn-checksum');
}

export const FULL_NAME_MAX = 120;

/** ФИО: two to four words of letters (Cyrillic or Latin), hyphens and apostrophes inside words. */
export function normaliseFullName(input: string): Checked<string> {
  const text = input.replace(/\s+/g, ' ').trim();
  if (text.length === 0) return fail('name-empty');
  if (text.length > FULL_NAME_MAX) return fail('name-too-long');
  const words = text.split(' ');
  if (words.length < 2 || words.length > 4) return fail('name-words');
  if (!words.every((w) => /^[\p{L}][\p{L}'’-]*$/u.test(w))) return fail('name-characters');
  return ok(words.map((w) => w[0].toLocaleUpperCase('ru') + w.slice(1)).join(' '));
}

/** Names compared the way a clerk would: case, ё/е and spacing do not matter. */
export function sameFullName(a: string, b: string): boolean {
  const fold = (s: string) =>
    s
      .toLocaleLowerCase('ru')
      .replace(/\u0451/g, '\u0435')
      .replace(/\s+/g, ' ')
      .trim();
  return fold(a) === fold(b);
}
