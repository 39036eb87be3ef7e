import { createHash, randomUUID } from 'node:crypto';
import { Conflict, DomainError, Invalid } from '@gongzhi/domain';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client';
import { preparedOn } from '../db/prepared';
import { idempotencyKeysTable } from '../db/schema';
import { deriveKey, seal, unseal } from '../lib/secrets';
import { ABANDONED_AFTER_MS, IDEMPOTENCY_TTL_MS, type IdempotencyRef } from '../services/idempotency';

export { ABANDONED_AFTER_MS } from '../services/idempotency';

export interface IdempotentRouteConfig {
  /**
   * Re-render the response for a resource that was committed but whose response was never stored,
   * with what the service sealed for it (`replayExtras` of recordIdempotentCommit).
   */
  replay: (
    request: FastifyRequest,
    resourceId: string,
    extras: Record<string, string>,
  ) => Promise<{ status: number; body: unknown }>;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyRef | null;
  }
  interface FastifyContextConfig {
    idempotency?: IdempotentRouteConfig;
  }
}

const KEY_FORMAT = /^[\x21-\x7e]{8,255}$/;

function fingerprintOf(request: FastifyRequest): string {
  const route = request.routeOptions.url ?? request.url;
  return createHash('sha256')
    .update(`${request.method} ${route}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotency-Key (IETF httpapi draft): the same key and body replays the first response and
 * creates nothing; the same key with another body → 422; while the first is still running → 409.
 * Keys are scoped to the account, or shared by anonymous clients (a random key is its own secret,
 * and the body must match too).
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; now: () => Date; secret: string }) => {
    app.decorateRequest('idempotency', null);
    const sealKey = deriveKey(opts.secret, 'idempotency response v1');
    const sealWith = (plaintext: string) => seal(sealKey, plaintext);

    const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
      const config = request.routeOptions.config.idempotency;
      const header = request.headers['idempotency-key'];
      if (!config || header === undefined) return;
      const key = Array.isArray(header) ? header[0]! : header;
      if (!KEY_FORMAT.test(key)) {
        throw Invalid('idempotency_key_invalid', 'Idempotency-Key 格式无效：应为 8–255 个可见 ASCII 字符', [
          { path: 'headers.idempotency-key', message: '格式无效' },
        ]);
      }
      const scope = request.principal ? `account:${request.principal.accountId}` : 'anonymous';
      const fingerprint = fingerprintOf(request);
      const now = opts.now();
      const owner = randomUUID();
      const ref: IdempotencyRef = { scope, key, owner, seal: sealWith };
      const where = and(eq(idempotencyKeysTable.scope, scope), eq(idempotencyKeysTable.key, key));

      // One statement (claimStatement): a new key is claimed; a key past its time is forgotten and
      // claimed anew (the request is new); a live key is left as it is and answers no row.
      const claim = async () =>
        (
          await claimStatement(opts.db).execute({
            scope,
            key,
            fingerprint,
            owner,
            createdAt: now,
            expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
            now: now.toISOString(),
          })
        ).length === 1;

      if (await claim()) {
        request.idempotency = ref;
        return;
      }
      const [row] = await opts.db.select().from(idempotencyKeysTable).where(where);
      if (!row) {
        // Deleted between our insert and select (the first request failed): try once more.
        if (await claim()) {
          request.idempotency = ref;
          return;
        }
        throw inProgress();
      }
      if (row.fingerprint !== fingerprint) {
        throw new DomainError(
          'unprocessable',
          'idempotency_key_reused',
          '这个 Idempotency-Key 已用于另一份不同的提交；新的提交请使用新的 Key',
          [{ path: 'headers.idempotency-key', message: '与之前的请求内容不同' }],
        );
      }
      if (row.state === 'done' && row.sealed) {
        return replayStored(reply, row.statusCode ?? 200, JSON.parse(unseal(sealKey, row.sealed)));
      }
      if (row.state === 'committed' || row.state === 'done') {
        const resourceId = (row.response as { resourceId: string }).resourceId;
        const extras = row.sealed ? (JSON.parse(unseal(sealKey, row.sealed)) as Record<string, string>) : {};
        const r = await config.replay(request, resourceId, extras);
        return replayStored(reply, r.status, r.body);
      }
      // running: still in flight, unless it has been so long that its request must have ended (the
      // request and statement timeouts bound it) without committing. Taking the key over replaces
      // the owner, so the old request, should it still come to commit, is refused and rolls back.
      if (row.createdAt.getTime() < now.getTime() - ABANDONED_AFTER_MS) {
        const taken = await opts.db
          .update(idempotencyKeysTable)
          .set({ owner, createdAt: now })
          .where(
            and(
              where,
              eq(idempotencyKeysTable.state, 'running'),
              eq(idempotencyKeysTable.owner, row.owner),
              lt(idempotencyKeysTable.createdAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
            ),
          )
          .returning({ key: idempotencyKeysTable.key });
        if (taken.length === 1) {
          request.idempotency = ref;
          return;
        }
      }
      throw inProgress();
    };

    const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const ref = request.idempotency;
      if (!ref) return payload;
      const mine = and(
        eq(idempotencyKeysTable.scope, ref.scope),
        eq(idempotencyKeysTable.key, ref.key),
        eq(idempotencyKeysTable.owner, ref.owner),
      );
      if (reply.statusCode >= 200 && reply.statusCode < 300) {
        // This request still holds the key (a request that lost it was refused): the answer, sealed.
        await answerStatement(opts.db).execute({
          statusCode: reply.statusCode,
          sealed: sealWith(String(payload)),
          scope: ref.scope,
          key: ref.key,
          owner: ref.owner,
        });
      } else {
        // Refused or failed before committing: nothing was created, the key is free again.
        await opts.db
          .delete(idempotencyKeysTable)
          .where(and(mine, eq(idempotencyKeysTable.state, 'running')));
      }
      return payload;
    };

    // Only on the routes that accept an Idempotency-Key (config.idempotency): every other request
    // is spared two hooks. The pre-handler goes first of the route's, so a replay is answered
    // before a route's own preHandler rate limit counts it (routes/complaints.ts).
    const list = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotency) return;
      route.preHandler = [preHandler, ...list(route.preHandler)] as typeof route.preHandler;
      route.onSend = [...list(route.onSend), onSend] as typeof route.onSend;
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);

/**
 * The claim and the stored answer, built once per database (db/prepared.ts): one statement each on
 * every request with a key. The claim: a new key is claimed; a key past its time (`expires_at <
 * now`) is forgotten and claimed anew; a live key is left as it is and answers no row.
 */
const claimStatement = (db: Db) =>
  preparedOn(db, 'idempotency_claim', () => {
    const v = (name: string) => sql.placeholder(name);
    const fresh = {
      fingerprint: v('fingerprint'),
      state: 'running' as const,
      owner: v('owner'),
      statusCode: null,
      response: null,
      sealed: null,
      createdAt: v('createdAt'),
      expiresAt: v('expiresAt'),
    };
    return db
      .insert(idempotencyKeysTable)
      .values({ scope: v('scope'), key: v('key'), ...fresh })
      .onConflictDoUpdate({
        target: [idempotencyKeysTable.scope, idempotencyKeysTable.key],
        // A placeholder in SET is a parameter like any value; drizzle's types only omit it.
        set: fresh as never,
        setWhere: lt(idempotencyKeysTable.expiresAt, v('now')),
      })
      .returning({ key: idempotencyKeysTable.key })
      .prepare('idempotency_claim');
  });

/** A request that still holds its key (one that lost it was refused): the answer, sealed. */
const answerStatement = (db: Db) =>
  preparedOn(db, 'idempotency_answer', () =>
    db
      .update(idempotencyKeysTable)
      .set({
        state: 'done',
        statusCode: sql.placeholder('statusCode'),
        sealed: sql.placeholder('sealed'),
      } as never)
      .where(
        and(
          eq(idempotencyKeysTable.scope, sql.placeholder('scope')),
          eq(idempotencyKeysTable.key, sql.placeholder('key')),
          eq(idempotencyKeysTable.owner, sql.placeholder('owner')),
          inArray(idempotencyKeysTable.state, ['running', 'committed']),
        ),
      )
      .prepare('idempotency_answer'),
  );

const inProgress = () => Conflict('idempotency_in_progress', '相同的提交正在处理中，请稍候再查看结果');

function replayStored(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).header('idempotent-replayed', 'true').send(body);
}
