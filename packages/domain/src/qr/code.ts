/**
 * The text form of a QR code: `base64url(payload) + '.' + base64url(mac)`. Pure: the MAC itself is
 * computed by the API (node:crypto); this file only splits and joins, strictly.
 *
 * Strict means one code per (payload, mac): base64url has spare bits in its last character, so a
 * lenient decoder accepts several spellings of the same bytes, and an edited character would
 * still verify. Every part is decoded and re-encoded, and must come back identical.
 */

/** Bytes of HMAC-SHA256 kept: 128 bits, short enough for a small QR code, far beyond guessing. */
export const QR_MAC_BYTES = 16;

/** Longer codes are refused before any decoding (the longest real code is under 100 characters). */
export const QR_CODE_MAX_LENGTH = 160;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((ch, i) => [ch, i]));

/** base64url without padding. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += ALPHABET[b0 >> 2];
    out += ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
    if (b1 !== undefined) out += ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
    if (b2 !== undefined) out += ALPHABET[b2 & 63];
  }
  return out;
}

/** base64url without padding; null for any text that is not the canonical encoding of some bytes. */
export function base64urlDecode(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of text) {
    const v = VALUE.get(ch);
    if (v === undefined) return null;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits in the last character decode to the same bytes: refuse that spelling.
  return base64urlEncode(out) === text ? out : null;
}

export function joinQrCode(payload: Uint8Array, mac: Uint8Array): string {
  return `${base64urlEncode(payload)}.${base64urlEncode(mac)}`;
}

/** The two parts of a code, or null when it is not well-formed. The MAC is not checked here. */
export function splitQrCode(code: string): { payload: Uint8Array; mac: Uint8Array } | null {
  if (code.length > QR_CODE_MAX_LENGTH) return null;
  const parts = code.split('.');
  if (parts.length !== 2 || parts[0] === '') return null;
  const payload = base64urlDecode(parts[0]!);
  const mac = base64urlDecode(parts[1]!);
  if (!payload || !mac || mac.length !== QR_MAC_BYTES) return null;
  return { payload, mac };
}
