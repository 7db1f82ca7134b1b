import { generateInviteCode, normaliseInviteCode } from './invite-codes';

describe('invite codes', () => {
  it('generates codes that read back as themselves', () => {
    for (let i = 0; i < 50; i++) {
      const code = generateInviteCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(normaliseInviteCode(code)).toBe(code.replace('-', ''));
    }
  });

  it('forgives case, spaces, dashes and Cyrillic look-alike letters', () => {
    expect(normaliseInviteCode(' mary 2345 ')).toBe('MARY2345');
    expect(normaliseInviteCode('МАРУ-2345')).toBe('MAPY2345');
  });

  it('refuses what cannot be a code', () => {
    expect(normaliseInviteCode('MARY-234')).toBeNull();
    expect(normaliseInviteCode('MARY-2301')).toBeNull();
    expect(normaliseInviteCode('x'.repeat(5000))).toBeNull();
  });
});
