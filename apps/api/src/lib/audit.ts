import { createHmac } from 'node:crypto';

/**
 * THE AUDIT LOG (docs/security.md#audit-log): one structured line in the app's log (pino) for each
 * thing an operator must be able to answer "who did this, when?" about — a login, a failed login,
 * a logout, a refresh token presented twice, a 403, a change to an account or a configuration, an
 * issue changing state. Every line is written here, so its shape is the same everywhere:
 *
 *   {"level":30,"time":…,"reqId":"<uuid>|null","audit":"issue.transition","actor":"<account id>|system|anonymous|cli",
 *    "actorPerson":"zhang-san","target":"issue:<uuid>","at":"2026-11-16T02:00:00.000Z",…,"msg":"audit issue.transition"}
 *
 * `audit` is the action, `target` names what it was done to (`kind:id`), `at` is the instant in UTC
 * (the app's clock, as in the records). A line never holds a phone, a password or a token: callers
 * pass ids, and a phone only through `phoneRef`.
 */

/** The actions, one family per kind of event. */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.refresh_token_reused'
  | 'access.denied'
  | `account.${string}`
  | 'config.changed'
  | `issue.${string}`;

/** What the writer needs of a logger: pino's (request.log carries the request id as `reqId`). */
export interface AuditLogger {
  info(obj: object, msg?: string): void;
  bindings?: () => Record<string, unknown>;
}

/** Who acts, as the audit line names them. */
export interface AuditActor {
  /** The account id, or 'system' (the follow-up clock), 'anonymous' (no sign-in), 'cli'. */
  actor: string;
  /** The config person of a staff account, or the kind of the account ('admin', 'resident'). */
  actorPerson?: string | null;
}

export interface AuditEntry extends AuditActor {
  action: AuditAction;
  /** What it was done to: `account:<id>`, `issue:<id>`, `community:<key>`, `route:<METHOD> <pattern>`. */
  target: string;
  /** The instant (the app's clock). */
  at: Date;
  /** The request's id when the logger does not carry it (background work: none). */
  requestId?: string | null;
  /** A few more facts: codes, states, versions. Never a value a person typed. */
  detail?: Record<string, string | number | boolean | null>;
}

/** The signed-in caller, or 'anonymous'. */
export function auditActorOf(
  principal: { accountId: string; personKey: string | null; kind: string } | null | undefined,
): AuditActor {
  if (!principal) return { actor: 'anonymous' };
  return { actor: principal.accountId, actorPerson: principal.personKey ?? principal.kind };
}

/** Write one audit line. Without a logger (the command line, some tests) nothing is written. */
export function audit(log: AuditLogger | null | undefined, e: AuditEntry): void {
  if (!log) return;
  const bound = typeof log.bindings === 'function' && 'reqId' in log.bindings();
  log.info(
    {
      ...(bound ? {} : { reqId: e.requestId ?? null }),
      audit: e.action,
      actor: e.actor,
      ...(e.actorPerson ? { actorPerson: e.actorPerson } : {}),
      target: e.target,
      at: e.at.toISOString(),
      ...e.detail,
    },
    `audit ${e.action}`,
  );
}

/**
 * A phone as the audit log may name it (failed logins): a keyed hash, the same for the same phone
 * under one server secret, so repeated attempts on one phone can be followed without the phone
 * itself (an unkeyed hash of an 11-digit number is reversed by trying them all).
 */
export const phoneRef = (secret: string, phone: string) =>
  `phone:${createHmac('sha256', `audit-phone:${secret}`).update(phone).digest('base64url').slice(0, 16)}`;
