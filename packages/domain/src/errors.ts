/**
 * Domain errors carry a stable machine code and a message in Chinese for people. The API's one
 * error handler maps the kind to an HTTP status; domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export interface ErrorDetail {
  /** dotted path of the offending field, e.g. `body.building` or `zones[3].buildings` */
  path?: string;
  message: string;
  [extra: string]: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** For `rate_limited`: seconds until trying again can succeed (the `Retry-After` header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const Invalid = (code: string, message: string, details?: ErrorDetail[]) =>
  new DomainError('invalid', code, message, details);
export const Unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);
export const Forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const NotFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const Conflict = (code: string, message: string, details?: ErrorDetail[]) =>
  new DomainError('conflict', code, message, details);
/**
 * Too many requests: `retryAfterMs` says when to try again (rounded up to whole seconds for the
 * `Retry-After` header every 429 carries).
 */
export const RateLimited = (code: string, message: string, retryAfterMs: number, details?: ErrorDetail[]) =>
  new DomainError('rate_limited', code, message, details, Math.max(1, Math.ceil(retryAfterMs / 1000)));
/** The request is well-formed but its content breaks a rule (e.g. a config change the validator refuses). */
export const Unprocessable = (code: string, message: string, details?: ErrorDetail[]) =>
  new DomainError('unprocessable', code, message, details);
