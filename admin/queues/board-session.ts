import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The dashboard's session cookie: a browser cannot send a Bearer header, and a token never goes in a URL. */
export const BOARD_COOKIE = 'nmo_queue_board';
/** Short-lived: an engineer on call signs in again after half an hour with the admin token. */
export const BOARD_SESSION_SECONDS = 30 * 60;

/**
 * Sessions of the queue dashboard, signed with a key derived from ADMIN_API_TOKEN: nothing is stored
 * server-side, every replica of the bot accepts them, and changing the token ends every session. The
 * cookie carries only its expiry and the signature, never the token.
 */
export class BoardSessions {
  private readonly key: Buffer;
  private readonly tokenDigest: Buffer;

  constructor(
    adminToken: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', adminToken).update('nmo queue board session v1').digest();
    this.tokenDigest = digest(adminToken);
  }

  /** Whether `candidate` is the admin token (constant time whatever its length). */
  isAdminToken(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  /** A new session's cookie value. */
  issue(): string {
    const expires = Math.floor(this.now() / 1000) + BOARD_SESSION_SECONDS;
    return `${expires}.${this.sign(expires)}`;
  }

  /** Whether a cookie value is a session this key signed and it has not expired. */
  valid(value: string | undefined): boolean {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!match) return false;
    const expires = Number(match[1]);
    if (expires * 1000 <= this.now()) return false;
    return timingSafeEqual(Buffer.from(match[2]), Buffer.from(this.sign(expires)));
  }

  private sign(expires: number): string {
    return createHmac('sha256', this.key).update(String(expires)).digest('base64url');
  }
}

/** One cookie's value from a Cookie header (no cookie-parser middleware for one cookie). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
