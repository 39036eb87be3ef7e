import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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
