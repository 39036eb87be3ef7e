import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Bearer secrets we hand out once (refresh tokens, complaint tracking secrets, anonymous upload
 * tokens): random, URL-safe, and stored only as SHA-256. A 32-byte secret needs no slow hash: it
 * cannot be guessed, and a leaked hash does not give the secret back.
 */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A key of its own for each use, derived from one server secret (HKDF-SHA256). */
export const deriveKey = (serverSecret: string, label: string) =>
  Buffer.from(hkdfSync('sha256', serverSecret, '', `gongzhi ${label}`, 32));

/**
 * Authenticated encryption (AES-256-GCM) of a value kept at rest that holds a secret handed out
 * once, so it can be given back again (an idempotent replay) without being readable in the
 * database: base64url(iv ‖ tag ‖ ciphertext).
 */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed value, or an exception when it was altered or sealed under another key. */
export function unseal(key: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
