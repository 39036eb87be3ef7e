import { Invalid, NotFound } from '@gongzhi/domain';
import { secretMatches } from '../../lib/secrets';
import type { Principal } from '../context';

/**
 * Who opens a complaint by its tracking code: whoever holds its secret (an anonymous resident, on
 * any phone), or — without the secret — the account that filed it (a resident signed in with
 * WeChat, whose complaints follow them from phone to phone).
 */
export function opensTracked(
  issue: { trackingSecretHash: string | null; reporterAccountId: string | null },
  secret: string | undefined,
  principal: Principal | null,
): boolean {
  if (secret !== undefined) return secretMatches(secret, issue.trackingSecretHash);
  return principal !== null && issue.reporterAccountId === principal.accountId;
}

/** A wrong secret, someone else's complaint and an unknown code all look the same. */
export const trackedNotFound = () => NotFound('complaint_not_found', '查询码或密钥不正确，请核对后再试');

/** Neither the secret nor a login: the request is missing its credential (400 at the header). */
export function requireTrackingCredential(secret: string | undefined, principal: Principal | null) {
  if (secret === undefined && principal === null) {
    throw Invalid('validation_failed', '请求头有误：x-tracking-secret 缺少查询密钥', [
      { path: 'headers.x-tracking-secret', message: '缺少查询密钥' },
    ]);
  }
}
