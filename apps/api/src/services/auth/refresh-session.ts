import { Unauthorized } from '@gongzhi/domain';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { accountsTable, refreshTokensTable, sessionsTable } from '../../db/schema';
import { audit } from '../../lib/audit';
import { hashSecret, newSecret } from '../../lib/secrets';
import type { ServiceContext } from '../context';

export const RefreshInput = z.strictObject({ refreshToken: z.string().min(10).max(200) });

const expired = () => Unauthorized('refresh_token_invalid', '登录已过期，请重新登录');

/**
 * Rotate a refresh token. The old token is marked replaced in the same statement that checks it
 * was not, so two concurrent refreshes cannot both succeed. Presenting a replaced token again
 * means it was copied: the whole session is revoked.
 */
export async function refreshSession(ctx: ServiceContext, refreshToken: string) {
  const now = ctx.now();
  const tokenHash = hashSecret(refreshToken);
  return ctx.db
    .transaction(async (tx) => {
      const [claimed] = await tx
        .update(refreshTokensTable)
        .set({ replacedAt: now })
        .where(and(eq(refreshTokensTable.tokenHash, tokenHash), isNull(refreshTokensTable.replacedAt)))
        .returning({ sessionId: refreshTokensTable.sessionId });
      if (!claimed) {
        const [reused] = await tx
          .select()
          .from(refreshTokensTable)
          .where(eq(refreshTokensTable.tokenHash, tokenHash));
        if (reused) {
          await tx
            .update(sessionsTable)
            .set({ revokedAt: now })
            .where(eq(sessionsTable.id, reused.sessionId));
          return { reused: true as const, sessionId: reused.sessionId };
        }
        throw expired();
      }
      const [live] = await tx
        .select({ accountId: sessionsTable.accountId })
        .from(sessionsTable)
        .innerJoin(accountsTable, eq(accountsTable.id, sessionsTable.accountId))
        .where(
          and(
            eq(sessionsTable.id, claimed.sessionId),
            isNull(sessionsTable.revokedAt),
            gt(sessionsTable.expiresAt, now),
            isNull(accountsTable.disabledAt),
          ),
        );
      if (!live) throw expired();
      const next = newSecret();
      await tx
        .insert(refreshTokensTable)
        .values({ tokenHash: hashSecret(next), sessionId: claimed.sessionId, createdAt: now });
      return {
        reused: false as const,
        accountId: live.accountId,
        sessionId: claimed.sessionId,
        refreshToken: next,
      };
    })
    .then((r) => {
      // Thrown outside the transaction so the revocation above is committed.
      if (r.reused) {
        audit(ctx.log, {
          action: 'auth.refresh_token_reused',
          actor: 'anonymous',
          target: `session:${r.sessionId}`,
          at: now,
          requestId: ctx.requestId ?? null,
          detail: { sessionRevoked: true },
        });
        throw Unauthorized('refresh_token_reused', '登录凭证已被使用过，为安全起见已退出登录，请重新登录');
      }
      return r;
    });
}
