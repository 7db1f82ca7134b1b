import { randomInt } from 'node:crypto';
import type { PersonalDataCipher } from '../people/personal-data';

/** No 0/O, 1/I/L: codes are read off paper and typed on a phone at night. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

/** A fresh one-time code shown as XXXX-XXXX; it also fits a /start deep-link payload. */
export function generateInviteCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What people type varies (case, spaces, dashes, Cyrillic look-alikes); the stored hash does not. */
export function normaliseInviteCode(input: string): string | null {
  const lookalikes: Record<string, string> = {
    '\u0410': 'A',
    '\u0412': 'B',
    '\u0415': 'E',
    '\u041a': 'K',
    '\u041c': 'M',
    '\u041d': 'H',
    '\u0420': 'P',
    '\u0421': 'C',
    '\u0422': 'T',
    '\u0425': 'X',
    '\u0423': 'Y',
  };
  const folded = input
    .toUpperCase()
    .replace(/[\s_-]/g, '')
    .replace(/./g, (ch) => lookalikes[ch] ?? ch);
  return new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(folded) ? folded : null;
}

/** Codes are stored only as a keyed hash: the organization sees a code once, the database never. */
export function inviteCodeHash(cipher: PersonalDataCipher, normalisedCode: string): string {
  return cipher.lookupHash(`invite:${normalisedCode}`);
}
