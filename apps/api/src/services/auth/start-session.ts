import dayjs from 'dayjs';
import type { Tx } from '../../db/client';
import { refreshTokensTable, sessionsTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';
import { SESSION_TTL_DAYS } from './tokens';

/** Open a session for an account and return its first refresh token. */
export async function startSession(tx: Tx, accountId: string, now: Date) {
  const [session] = await tx
    .insert(sessionsTable)
    .values({ accountId, createdAt: now, expiresAt: dayjs(now).add(SESSION_TTL_DAYS, 'day').toDate() })
    .returning({ id: sessionsTable.id });
  const refreshToken = newSecret();
  await tx
    .insert(refreshTokensTable)
    .values({ tokenHash: hashSecret(refreshToken), sessionId: session!.id, createdAt: now });
  return { sessionId: session!.id, refreshToken };
}
