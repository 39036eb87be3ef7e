import { Conflict, NotFound } from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { accountsTable, peopleTable } from '../../db/schema';
import { hashPassword } from '../auth/password';
import { communityId } from '../communities/community-id';

export interface NewAccount {
  kind: 'staff' | 'admin';
  phone: string;
  password: string;
  displayName: string;
  /** Bind to a config person (staff). */
  person?: { community: string; key: string };
  /** A one-time password: every request but changing it is refused until it is changed. */
  mustChangePassword?: boolean;
}

export const phoneTaken = (phone: string) =>
  Conflict('phone_taken', `手机号 ${phone} 已有账号`, [{ path: 'body.phone', message: '该手机号已有账号' }]);

/** Insert an account (the hash only, never the password). A phone that already has one is a 409. */
export async function createAccount(db: Db | Tx, a: NewAccount): Promise<string> {
  let personId: string | null = null;
  if (a.person) {
    const cid = await communityId(db as Db, a.person.community);
    const [p] = await db
      .select({ id: peopleTable.id })
      .from(peopleTable)
      .where(and(eq(peopleTable.communityId, cid), eq(peopleTable.key, a.person.key)));
    if (!p)
      throw NotFound('person_not_found', `人员 "${a.person.key}" 不在小区 "${a.person.community}" 的配置中`);
    personId = p.id;
  }
  const passwordHash = await hashPassword(a.password);
  try {
    const [row] = await db
      .insert(accountsTable)
      .values({
        kind: a.kind,
        phone: a.phone,
        passwordHash,
        personId,
        displayName: a.displayName,
        mustChangePassword: a.mustChangePassword ?? false,
      })
      .returning({ id: accountsTable.id });
    return row!.id;
  } catch (err) {
    if (isUniqueViolation(err)) throw phoneTaken(a.phone);
    throw err;
  }
}
