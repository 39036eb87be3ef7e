import fastifyJwt from '@fastify/jwt';
import { Forbidden, Unauthorized } from '@gongzhi/domain';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database, Db } from '../db/client';
import { preparedOn } from '../db/prepared';
import { accountsTable, communitiesTable, peopleTable, sessionsTable } from '../db/schema';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TTL_SECONDS,
  type AccessClaims,
} from '../services/auth/tokens';
import type { Principal } from '../services/context';
import { PRINCIPAL_CHANNEL, PrincipalCache } from './principal-cache';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** onRequest hook: requires a valid access token of a live session. */
    authenticate: (request: FastifyRequest) => Promise<void>;
    /** onRequest hook: login optional; a bearer token that is sent must be valid. */
    authenticateIfSent: (request: FastifyRequest) => Promise<void>;
    /** onRequest hook: like authenticate, and the account must be an administrator. */
    requireAdmin: (request: FastifyRequest) => Promise<void>;
    signAccessToken: (claims: AccessClaims) => string;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
  }
}

/**
 * What an account with a one-time password may do before it has replaced it: read who it is, change
 * the password, sign out. Everything else is refused, so the one-time password is good for nothing
 * but the change.
 */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/auth/logout']);

/** How many verified access tokens fast-jwt remembers (LRU): about the tokens live at once. */
const JWT_VERIFIED_CACHE_SIZE = 10_000;

/** fast-jwt's TokenError code for an expired token (@fastify/jwt's verifier throws it as is). */
const FAST_JWT_EXPIRED = 'FAST_JWT_EXPIRED';

/** OpenAPI: the operation needs `Authorization: Bearer <access token>`. */
export const BEARER = [{ bearer: [] }];

/**
 * The session check, built once per database (see principalForSession); `withExpiry` also reads
 * the session's expiry, which the principal cache keeps with the principal.
 */
function principalQuery(db: Db, withExpiry: boolean) {
  const principal = {
    accountId: accountsTable.id,
    kind: accountsTable.kind,
    displayName: accountsTable.displayName,
    personKey: peopleTable.key,
    communityKey: communitiesTable.key,
    mustChangePassword: accountsTable.mustChangePassword,
  };
  return db
    .select(withExpiry ? { ...principal, expiresAt: sessionsTable.expiresAt } : principal)
    .from(sessionsTable)
    .innerJoin(accountsTable, eq(accountsTable.id, sessionsTable.accountId))
    .leftJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
    .leftJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId))
    .where(
      and(
        eq(sessionsTable.id, sql.placeholder('sessionId')),
        isNull(sessionsTable.revokedAt),
        gt(sessionsTable.expiresAt, sql.placeholder('now')),
        isNull(accountsTable.disabledAt),
      ),
    )
    .prepare(withExpiry ? 'principal_for_session_kept' : 'principal_for_session');
}

/**
 * Load the principal behind a session; null when the session or account is no longer valid.
 * Made on every authenticated request, so the statement is built once per database
 * (db/prepared.ts): each call only fills in the two parameters, instead of building the query
 * again (drizzle's query building was most of this check's server time).
 *
 * With a cache (the embedded database only, plugins/principal-cache.ts) a principal read once is
 * answered from it until a change to the session, account, person or community drops it, or the
 * session's expiry comes; without (PostgreSQL) the database is asked every time.
 */
export async function principalForSession(
  db: Db,
  sessionId: string,
  now: Date,
  cache?: PrincipalCache,
): Promise<Principal | null> {
  if (!cache) {
    const query = preparedOn(db, 'principal_for_session', () => principalQuery(db, false));
    // A placeholder skips the column's encoder: pass the timestamp as that encoder writes it.
    const [row] = await query.execute({ sessionId, now: now.toISOString() });
    return row ? principalOf(row, sessionId) : null;
  }
  const kept = cache.get(sessionId, now.getTime());
  if (kept) return kept;
  const generation = cache.generation;
  const query = preparedOn(db, 'principal_for_session_kept', () => principalQuery(db, true));
  const [row] = await query.execute({ sessionId, now: now.toISOString() });
  if (!row) return null;
  const { expiresAt, ...fields } = row as typeof row & { expiresAt: Date };
  const principal = principalOf(fields, sessionId);
  cache.store(principal, expiresAt, generation);
  return principal;
}

function principalOf(
  row: Omit<Principal, 'sessionId' | 'personKey' | 'communityKey'> & {
    personKey: string | null;
    communityKey: string | null;
  },
  sessionId: string,
): Principal {
  return { ...row, sessionId, personKey: row.personKey ?? null, communityKey: row.communityKey ?? null };
}

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { secret: string; database: Database; now: () => Date }) => {
    const { db } = opts.database;
    // The embedded database tells this process of every principal change before the change's
    // statement resolves (Database.listen): the principal is kept between requests there. On
    // PostgreSQL (no `listen`) the session is read on every request.
    let principals: PrincipalCache | undefined;
    if (opts.database.listen) {
      const cache = new PrincipalCache();
      const stop = await opts.database.listen(PRINCIPAL_CHANNEL, (payload) => cache.invalidate(payload));
      // The database may already be closed (its listeners with it): nothing is left to stop then.
      app.addHook('onClose', () => stop().catch(() => {}));
      principals = cache;
    }
    await app.register(fastifyJwt, {
      secret: opts.secret,
      // Pinned: a token claiming another algorithm (or "none") is refused. Issuer, audience and an
      // expiry are written into every token and required of every token presented.
      sign: {
        algorithm: 'HS256',
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
        iss: ACCESS_TOKEN_ISSUER,
        aud: ACCESS_TOKEN_AUDIENCE,
      },
      verify: {
        algorithms: ['HS256'],
        allowedIss: ACCESS_TOKEN_ISSUER,
        allowedAud: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'iss', 'aud'],
        // fast-jwt remembers a verified token (keyed by its SHA-256, so no token is kept in
        // memory) and answers it again without the HMAC, decoding and claim checks, a fifth of the
        // session check's server time. A hit still compares the clock with the token's own `exp`
        // (and nbf), the bounds its validators use, so an expired token is refused at the same
        // instant; failures are not remembered. Only the signature's verdict is kept: the session
        // behind the token is still checked on every request (principalForSession).
        cache: JWT_VERIFIED_CACHE_SIZE,
      },
    });
    app.decorateRequest('principal', null);
    app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

    const authenticate = async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header?.startsWith('Bearer ')) throw Unauthorized('token_missing', '请先登录');
      let claims: AccessClaims;
      try {
        // The plugin's verifier, with the options pinned above (algorithm, issuer, audience, expiry),
        // called directly: request.jwtVerify() decodes the token a second time and merges options
        // on every call, a tenth of /api/me's server time. No token in cookies or elsewhere.
        claims = app.jwt.verify<AccessClaims>(header.slice('Bearer '.length));
      } catch (err) {
        const expired = (err as { code?: string }).code === FAST_JWT_EXPIRED;
        throw Unauthorized(
          expired ? 'token_expired' : 'token_invalid',
          expired ? '登录已过期，请刷新或重新登录' : '登录凭证无效，请重新登录',
        );
      }
      const principal = await principalForSession(db, claims.sid, opts.now(), principals);
      if (!principal || principal.accountId !== claims.sub) {
        throw Unauthorized('session_ended', '登录已失效（已退出或账号已停用），请重新登录');
      }
      if (
        principal.mustChangePassword &&
        !BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url}`)
      ) {
        throw Forbidden('password_change_required', '请先修改初始密码后再使用');
      }
      request.principal = principal;
    };
    app.decorate('authenticate', authenticate);
    app.decorate('authenticateIfSent', async (request: FastifyRequest) => {
      if (request.headers.authorization !== undefined) await authenticate(request);
    });
    app.decorate('requireAdmin', async (request: FastifyRequest) => {
      await authenticate(request);
      if (request.principal?.kind !== 'admin') throw Forbidden('admin_only', '仅管理员可执行此操作');
    });
  },
  { name: 'auth' },
);
