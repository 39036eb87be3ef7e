export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const SESSION_TTL_DAYS = 30;
/**
 * Every access token names who issued it and for whom; verification requires both (and `exp`), so
 * a token made with the same key for another purpose, or one without an expiry, is refused.
 */
export const ACCESS_TOKEN_ISSUER = 'gongzhi';
export const ACCESS_TOKEN_AUDIENCE = 'gongzhi-api';

/** What an access token carries: the account and the session it belongs to. */
export interface AccessClaims {
  sub: string;
  sid: string;
}
