/** A UUID as 22 characters of base64url, so that two ids fit in one 64-byte button payload. */
export function compactId(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

/** The UUID back; a crafted payload that does not decode to 16 bytes gives an id that matches nothing. */
export function expandId(compact: string): string {
  const hex = Buffer.from(compact, 'base64url').toString('hex');
  if (hex.length !== 32) return '';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
