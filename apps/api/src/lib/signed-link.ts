import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed, short-lived links: a browser tab, WeChat's downloader or WeChat's content-security
// fetcher cannot send our bearer header, so the URL itself is the credential.
// `<expiry ms, base36>.<HMAC-SHA256[0..16] over id|expiry>`, with a key derived from the server
// secret under the link's own label (one link kind never opens another); nothing is stored.

const linkKey = (secret: string, label: string) => createHmac('sha256', secret).update(label).digest();
const linkMac = (secret: string, label: string, id: string, expires: number) =>
  createHmac('sha256', linkKey(secret, label)).update(`${id}|${expires}`).digest().subarray(0, 16);

/** A token that opens `id` (under `label`) until `expires` (epoch ms). */
export function linkToken(secret: string, label: string, id: string, expires: number): string {
  return `${expires.toString(36)}.${linkMac(secret, label, id, expires).toString('base64url')}`;
}

/** Does `token` open `id` under `label` at `now` (epoch ms)? */
export function linkTokenValid(secret: string, label: string, id: string, token: string, now: number) {
  const [exp, mac] = token.split('.');
  const expires = Number.parseInt(exp ?? '', 36);
  const given = Buffer.from(mac ?? '', 'base64url');
  const want = Number.isFinite(expires) ? linkMac(secret, label, id, expires) : null;
  return !!want && given.length === want.length && timingSafeEqual(given, want) && expires >= now;
}
