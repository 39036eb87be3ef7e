import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
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
}

export async function createAccount(db: Db, a: NewAccount): Promise<string> {
  let personId: string | null = null;
  if (a.person) {
    const cid = await communityId(db, a.person.community);
    const [p] = await db
      .select({ id: peopleTable.id })
      .from(peopleTable)
      .where(and(eq(peopleTable.communityId, cid), eq(peopleTable.key, a.person.key)));
    if (!p) throw new Error(`person ${a.person.key} is not in community ${a.person.community}`);
    personId = p.id;
  }
  const [row] = await db
    .insert(accountsTable)
    .values({
      kind: a.kind,
      phone: a.phone,
      passwordHash: await hashPassword(a.password),
      personId,
      displayName: a.displayName,
    })
    .returning({ id: accountsTable.id });
  return row!.id;
}
