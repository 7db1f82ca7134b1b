import { generateInviteCode, normaliseInviteCode } from '../linking/invite-codes';
import type { PersonalDataCipher } from '../people/personal-data';

/**
 * Attendance codes look and read like invite codes (8 characters `ABCD-EFGH` of an alphabet without
 * 0/O, 1/I/L), so the same generator and normaliser serve both: case, spaces, dashes and Cyrillic
 * look-alikes (А→A, В→B, Е→E, К→K, М→M, Н→H, Р→P, С→C, Т→T, Х→X) are folded before hashing (О and O
 * are not in the alphabet at all, being read as zero). Only the hash differs: a key domain of its own,
 * so an invite code typed into /code never matches anything.
 */
export const generateAttendanceCode = generateInviteCode;

/** The deep-link payload prefix: `/start code_ABCD-EFGH` claims rather than links. */
export const ATTENDANCE_DEEP_LINK_PREFIX = 'code_';

/** The code as the hash is made of, or null when the text cannot be a code (wrong length or letters). */
export function normaliseAttendanceCode(input: string): string | null {
  return normaliseInviteCode(input);
}

export function attendanceCodeHash(cipher: PersonalDataCipher, normalisedCode: string): string {
  return cipher.lookupHash(`attendance:${normalisedCode}`);
}

/** `https://t.me/<bot>?start=code_ABCD-EFGH`: opening it in Telegram claims the code. */
export function attendanceDeepLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername.replace(/^@/, '')}?start=${ATTENDANCE_DEEP_LINK_PREFIX}${code}`;
}

/** The code inside a `/start` payload, or null when the payload is something else (e.g. an invite). */
export function codeOfDeepLinkPayload(payload: string): string | null {
  return payload.startsWith(ATTENDANCE_DEEP_LINK_PREFIX) ? payload.slice(ATTENDANCE_DEEP_LINK_PREFIX.length) : null;
}
