import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { deriveKey } from '../../lib/secrets';

/** The package's signature file: not in the manifest, since it signs the manifest. */
export const SIGNATURE_PATH = 'signature.json';

export interface ArchiveSignature {
  algorithm: 'ed25519';
  /** The signer's public key, raw 32 bytes, base64url: for reading, never for trusting. */
  publicKey: string;
  /** Ed25519 over the exact bytes of manifest.json, base64url. */
  signature: string;
}

// PKCS#8 DER of an Ed25519 private key is this prefix followed by the 32-byte seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The archive signing key (Ed25519), derived from the server secret so nothing new has to be kept:
 * the same JWT_SECRET gives the same key on every instance and after every restart. Its public
 * half is published (GET /api/archives/signing-key) so anyone can check a package without a secret.
 */
export function archiveSigningKey(serverSecret: string): { privateKey: KeyObject; publicKey: string } {
  const seed = deriveKey(serverSecret, 'archive signing v1');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

const rawPublicKey = (key: KeyObject) =>
  Buffer.from((key.export({ format: 'jwk' }) as { x: string }).x, 'base64url').toString('base64url');

export function signManifest(manifestBytes: Uint8Array, serverSecret: string): ArchiveSignature {
  const { privateKey, publicKey } = archiveSigningKey(serverSecret);
  return {
    algorithm: 'ed25519',
    publicKey,
    signature: sign(null, manifestBytes, privateKey).toString('base64url'),
  };
}

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'untrusted_key' | 'invalid';

/**
 * Was this manifest signed by the trusted key? A package that names another key is refused even if
 * it verifies under that key: a forger can always sign with a key of their own.
 */
export function checkSignature(
  manifestBytes: Uint8Array,
  signatureFile: Uint8Array | undefined,
  trustedPublicKey: string,
): SignatureCheck {
  if (!signatureFile) return 'missing';
  let sig: ArchiveSignature;
  try {
    sig = JSON.parse(Buffer.from(signatureFile).toString('utf8')) as ArchiveSignature;
    if (
      sig.algorithm !== 'ed25519' ||
      typeof sig.signature !== 'string' ||
      typeof sig.publicKey !== 'string'
    ) {
      return 'malformed';
    }
  } catch {
    return 'malformed';
  }
  if (sig.publicKey !== trustedPublicKey) return 'untrusted_key';
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: trustedPublicKey }, format: 'jwk' });
  return verify(null, manifestBytes, key, Buffer.from(sig.signature, 'base64url')) ? 'valid' : 'invalid';
}
