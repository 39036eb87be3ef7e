import { Phone, Unauthorized } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { accountsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import {
  claimLoginAttempt,
  loginAttemptKeys,
  recordLoginFailure,
  recordLoginSuccess,
} from './login-throttle';
import { DUMMY_HASH, verifyPassword } from './password';
import { startSession } from './start-session';

export const LoginInput = z.strictObject({
  phone: Phone,
  password: z.string().min(1, '请输入密码').max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** Where the attempt comes from and the server key the throttle's HMACs use. */
export interface LoginClient {
  /** The client's address key (lib/client-address.ts). */
  address: string;
  throttleKey: Buffer;
}

/**
 * Phone + password. The same answer for an unknown phone and a wrong password — the same code and
 * message, one scrypt either way, and the same throttling (kept per phone, account or not).
 */
export async function login(ctx: ServiceContext, input: LoginInput, client: LoginClient) {
  const keys = loginAttemptKeys(client.throttleKey, input.phone, client.address);
  await claimLoginAttempt(ctx.db, keys, ctx.now());
  const [account] = await ctx.db.select().from(accountsTable).where(eq(accountsTable.phone, input.phone));
  const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
  if (!account?.passwordHash || !ok) {
    await recordLoginFailure(ctx.db, keys, ctx.now());
    throw Unauthorized('invalid_credentials', '手机号或密码不正确');
  }
  await recordLoginSuccess(ctx.db, keys, ctx.now());
  if (account.disabledAt) throw Unauthorized('account_disabled', '该账号已停用，请联系管理员');
  const { sessionId, refreshToken } = await ctx.db.transaction((tx) =>
    startSession(tx, account.id, ctx.now()),
  );
  return {
    accountId: account.id,
    sessionId,
    refreshToken,
    passwordChangeRequired: account.mustChangePassword,
  };
}
