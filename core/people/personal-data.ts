import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal values (phone, СНИЛС, ИНН) are stored encrypted with AES-256-GCM and found again through a
 * keyed hash, so the database alone reveals neither. Layout of a ciphertext: version byte, 12-byte IV,
 * 16-byte tag, then the encrypted bytes; the version byte lets a rotated key coexist with old rows.
 */
export class PersonalDataCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(
    masterKey: Buffer,
    private readonly keyVersion = 1,
  ) {
    if (masterKey.length !== 32) throw new Error('The personal-data key must be 32 bytes');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'nmo/encrypt', 32));
    this.lookupKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'nmo/lookup', 32));
  }

  encrypt(plain: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.from([this.keyVersion]), iv, cipher.getAuthTag(), body]));
  }

  decrypt(sealed: Uint8Array): string {
    const buf = Buffer.from(sealed);
    if (buf[0] !== this.keyVersion) throw new Error(`Personal data sealed with key version ${buf[0]}, this key is ${this.keyVersion}`);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, buf.subarray(1, 13));
    decipher.setAuthTag(buf.subarray(13, 29));
    return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalised value: equal inputs meet in an index, nothing leaks. */
  lookupHash(normalised: string): string {
    return createHmac('sha256', this.lookupKey).update(normalised).digest('base64url');
  }
}
