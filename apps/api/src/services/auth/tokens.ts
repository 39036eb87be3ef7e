export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const SESSION_TTL_DAYS = 30;

/** What an access token carries: the account and the session it belongs to. */
export interface AccessClaims {
  sub: string;
  sid: string;
}
