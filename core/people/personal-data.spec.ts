import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from './personal-data';

describe('personal data at rest', () => {
  const cipher = new PersonalDataCipher(randomBytes(32));

  it('seals a value so that the bytes do not contain it, and opens it again', () => {
    const sealed = cipher.encrypt('+79161234567');
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('79161234567');
    expect(cipher.decrypt(sealed)).toBe('+79161234567');
  });

  it('never seals the same value to the same bytes, but hashes it to the same look-up key', () => {
    expect(Buffer.from(cipher.encrypt('x')).equals(Buffer.from(cipher.encrypt('x')))).toBe(false);
    expect(cipher.lookupHash('+79161234567')).toBe(cipher.lookupHash('+79161234567'));
    expect(cipher.lookupHash('+79161234567')).not.toBe(new PersonalDataCipher(randomBytes(32)).lookupHash('+79161234567'));
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('12345678901');
    sealed[sealed.length - 1] ^= 1;
    expect(() => cipher.decrypt(sealed)).toThrow();
  });
});
