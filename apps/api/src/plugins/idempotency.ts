import { createHash } from 'node:crypto';
import { Conflict, DomainError, Invalid } from '@gongzhi/domain';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db, Tx } from '../db/client';
import { idempotencyKeysTable } from '../db/schema';

/** Which request a service is committing, so it can record the outcome in its own transaction. */
export interface IdempotencyRef {
  scope: string;
  key: string;
}

export interface IdempotentRouteConfig {
  /** Re-render the response for a resource that was committed but whose response was never stored. */
  replay: (request: FastifyRequest, resourceId: string) => Promise<{ status: number; body: unknown }>;
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
/** A request that holds a key this long without committing has died: its key may be taken over. */
export const ABANDONED_AFTER_MS = 60_000;

/**
 * Call inside the service's transaction, right after the resource is written: the key and the
 * resource commit together, so a crash after the commit still replays instead of duplicating.
 */
export async function recordIdempotentCommit(
  tx: Tx,
  ref: IdempotencyRef | null | undefined,
  resourceId: string,
) {
  if (!ref) return;
  await tx
    .update(idempotencyKeysTable)
    .set({ state: 'committed', response: { resourceId } })
    .where(and(eq(idempotencyKeysTable.scope, ref.scope), eq(idempotencyKeysTable.key, ref.key)));
}

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
  async (app: FastifyInstance, opts: { db: Db; now: () => Date }) => {
    app.decorateRequest('idempotency', null);

    app.addHook('preHandler', async (request, reply) => {
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

      const claim = async () =>
        (
          await opts.db
            .insert(idempotencyKeysTable)
            .values({ scope, key, fingerprint, state: 'running', createdAt: now })
            .onConflictDoNothing()
            .returning({ key: idempotencyKeysTable.key })
        ).length === 1;

      if (await claim()) {
        request.idempotency = { scope, key };
        return;
      }
      const [row] = await opts.db
        .select()
        .from(idempotencyKeysTable)
        .where(and(eq(idempotencyKeysTable.scope, scope), eq(idempotencyKeysTable.key, key)));
      if (!row) {
        // Deleted between our insert and select (the first request failed): try once more.
        if (await claim()) {
          request.idempotency = { scope, key };
          return;
        }
        throw Conflict('idempotency_in_progress', '相同的提交正在处理中，请稍候再查看结果');
      }
      if (row.fingerprint !== fingerprint) {
        throw new DomainError(
          'unprocessable',
          'idempotency_key_reused',
          '这个 Idempotency-Key 已用于另一份不同的提交；新的提交请使用新的 Key',
          [{ path: 'headers.idempotency-key', message: '与之前的请求内容不同' }],
        );
      }
      if (row.state === 'done') {
        return replayStored(reply, row.statusCode ?? 200, row.response);
      }
      if (row.state === 'committed') {
        const resourceId = (row.response as { resourceId: string }).resourceId;
        const r = await config.replay(request, resourceId);
        return replayStored(reply, r.status, r.body);
      }
      // running: still in flight, unless it has been so long that its process must have died
      // before committing (a commit would have moved it to `committed` in the same transaction).
      if (row.createdAt.getTime() < now.getTime() - ABANDONED_AFTER_MS) {
        const taken = await opts.db
          .update(idempotencyKeysTable)
          .set({ createdAt: now })
          .where(
            and(
              eq(idempotencyKeysTable.scope, scope),
              eq(idempotencyKeysTable.key, key),
              eq(idempotencyKeysTable.state, 'running'),
              lt(idempotencyKeysTable.createdAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
            ),
          )
          .returning({ key: idempotencyKeysTable.key });
        if (taken.length === 1) {
          request.idempotency = { scope, key };
          return;
        }
      }
      throw Conflict('idempotency_in_progress', '相同的提交正在处理中，请稍候再查看结果');
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const ref = request.idempotency;
      if (!ref) return payload;
      const where = and(eq(idempotencyKeysTable.scope, ref.scope), eq(idempotencyKeysTable.key, ref.key));
      if (reply.statusCode >= 200 && reply.statusCode < 300) {
        await opts.db
          .update(idempotencyKeysTable)
          .set({ state: 'done', statusCode: reply.statusCode, response: JSON.parse(String(payload)) })
          .where(where);
      } else {
        // Refused or failed before committing: nothing was created, the key is free again.
        await opts.db
          .delete(idempotencyKeysTable)
          .where(and(where, eq(idempotencyKeysTable.state, 'running')));
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);

function replayStored(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).header('idempotent-replayed', 'true').send(body);
}
