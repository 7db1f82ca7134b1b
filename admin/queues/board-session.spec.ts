import { BOARD_SESSION_SECONDS, BoardSessions, cookieValue } from './board-session';

/** The dashboard's session cookie: signed, short-lived, bound to the admin token, never carrying it. */
describe('BoardSessions', () => {
  const token = 'admin-token-0123456789-abcdefghij';
  let now = Date.parse('2026-11-25T09:00:00Z');
  const sessions = new BoardSessions(token, () => now);

  it('accepts its own session until it expires, and nothing else', () => {
    const value = sessions.issue();
    expect(value).not.toContain(token);
    expect(sessions.valid(value)).toBe(true);
    const [expires, signature] = value.split('.');
    // A later expiry with the same signature, another signature, garbage: all refused.
    expect(sessions.valid(`${Number(expires) + 3600}.${signature}`)).toBe(false);
    expect(sessions.valid(`${expires}.${'A'.repeat(43)}`)).toBe(false);
    expect(sessions.valid(undefined)).toBe(false);
    expect(sessions.valid('')).toBe(false);
    expect(sessions.valid(token)).toBe(false);

    now += (BOARD_SESSION_SECONDS - 1) * 1000;
    expect(sessions.valid(value)).toBe(true);
    now += 1000;
    expect(sessions.valid(value)).toBe(false);
  });

  it('a new admin token ends every session signed with the old one', () => {
    const value = sessions.issue();
    expect(new BoardSessions(`${token}-rotated`, () => now).valid(value)).toBe(false);
  });

  it('knows the admin token and nothing shorter, longer or different', () => {
    expect(sessions.isAdminToken(token)).toBe(true);
    expect(sessions.isAdminToken(token.slice(1))).toBe(false);
    expect(sessions.isAdminToken(`${token}x`)).toBe(false);
    expect(sessions.isAdminToken('')).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; nmo_queue_board=123.abc; b=2', 'nmo_queue_board')).toBe('123.abc');
    expect(cookieValue('a=1', 'nmo_queue_board')).toBeUndefined();
    expect(cookieValue(undefined, 'nmo_queue_board')).toBeUndefined();
  });
});
