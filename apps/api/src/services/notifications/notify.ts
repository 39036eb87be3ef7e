import { type NotificationMessage, renderForFollower, renderNotification } from '@gongzhi/domain';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { preparedSql } from '../../db/prepared';
import { accountsTable, issueFollowersTable, outboxTable, peopleTable } from '../../db/schema';

export interface Recipients {
  communityId: string;
  /** Config person keys: each reaches the accounts bound to that person. */
  persons?: readonly (string | null | undefined)[];
  /** Accounts reached directly (a resident reporter). */
  accountIds?: readonly (string | null | undefined)[];
  /** Never tell the person who caused the event about it. */
  exceptAccountId?: string | null;
}

/**
 * Queue a notification in the caller's transaction (the transactional outbox): it commits with the
 * event that caused it, or not at all. `sourceKey` names the event (e.g. `ev:123`); with the
 * recipient and channel it makes the outbox row unique, so a repeated enqueue is a no-op and the
 * worker de-duplicates on delivery. Each account gets the inbox; accounts that signed in with WeChat
 * also get a subscription message when one is configured.
 */
export async function notify(
  tx: Tx,
  now: Date,
  sourceKey: string,
  to: Recipients,
  message: NotificationMessage,
  refs: { issueId?: string | null; letterId?: string | null } = {},
) {
  const persons = [...new Set(to.persons?.filter((p): p is string => !!p) ?? [])];
  const direct = [...new Set(to.accountIds?.filter((a): a is string => !!a) ?? [])];
  const ref = { issueId: refs.issueId ?? null, letterId: refs.letterId ?? null };
  if (to.accountIds === undefined) {
    // Only config persons, all told in the same words: their accounts are found and their rows
    // queued by one statement, set-based (an inbox row each, a WeChat row for a WeChat account).
    if (persons.length) await notifyPersons(tx, now, sourceKey, to, persons, message, ref);
    return;
  }
  // Followers ("这也是我的问题") hear what the reporter hears of the issue, in their own words and
  // asked nothing (renderForFollower; docs/domain.md §9).
  const followerIds: string[] = [];
  if (refs.issueId) {
    const followers = await tx
      .select({ id: issueFollowersTable.accountId })
      .from(issueFollowersTable)
      .where(eq(issueFollowersTable.issueId, refs.issueId));
    for (const f of followers) if (!direct.includes(f.id)) followerIds.push(f.id);
  }
  const accounts: { id: string; openid: string | null }[] = [];
  if (persons.length) {
    accounts.push(
      ...(await tx
        .select({ id: accountsTable.id, openid: accountsTable.wechatOpenid })
        .from(accountsTable)
        .innerJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
        .where(
          and(
            eq(peopleTable.communityId, to.communityId),
            inArray(peopleTable.key, persons),
            isNull(accountsTable.disabledAt),
          ),
        )),
    );
  }
  const byIds = async (ids: string[]) =>
    ids.length
      ? tx
          .select({ id: accountsTable.id, openid: accountsTable.wechatOpenid })
          .from(accountsTable)
          .where(and(inArray(accountsTable.id, ids), isNull(accountsTable.disabledAt)))
      : [];
  accounts.push(...(await byIds(direct)));
  const followerAccounts = await byIds(followerIds);
  const seen = new Set<string>();
  const payload = { ...renderNotification(message), ...ref };
  const followerPayload = { ...renderForFollower(message), ...ref };
  const rows: (typeof outboxTable.$inferInsert)[] = [];
  for (const a of [...accounts, ...followerAccounts]) {
    if (seen.has(a.id) || a.id === to.exceptAccountId) continue;
    seen.add(a.id);
    const base = {
      kind: message.kind,
      accountId: a.id,
      payload: followerIds.includes(a.id) ? followerPayload : payload,
      status: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
    };
    rows.push({ ...base, channel: 'inbox', dedupeKey: `${sourceKey}:${a.id}:inbox` });
    if (a.openid) rows.push({ ...base, channel: 'wechat', dedupeKey: `${sourceKey}:${a.id}:wechat` });
  }
  if (rows.length) await tx.insert(outboxTable).values(rows).onConflictDoNothing();
}

/**
 * notify's rows for config persons only, in one INSERT … SELECT: the same rows as the general path
 * (the accounts bound to those persons in the community, not disabled, not the one who caused it;
 * an inbox row each and a WeChat row for an account with an openid; the same dedupe keys, so a
 * repeat inserts nothing), without reading the accounts first.
 */
async function notifyPersons(
  tx: Tx,
  now: Date,
  sourceKey: string,
  to: Recipients,
  persons: string[],
  message: NotificationMessage,
  ref: { issueId: string | null; letterId: string | null },
) {
  const payload = JSON.stringify({ ...renderNotification(message), ...ref });
  const at = now.toISOString();
  const personKeys = Object.fromEntries(persons.map((p, i) => [`person${i}`, p]));
  // Built once per number of persons (db/prepared.ts); the values are placeholders.
  await preparedSql(tx, `notify_persons:${persons.length}`, () => {
    const v = (name: string) => sql.placeholder(name);
    const keys = sql.join(
      persons.map((_, i) => v(`person${i}`)),
      sql`, `,
    );
    return sql`
    insert into ${outboxTable} (dedupe_key, channel, kind, account_id, payload, status, next_attempt_at, created_at)
    select ${v('sourceKey')}::text || ':' || a.id || ':' || c.channel, c.channel, ${v('kind')}::text, a.id,
           ${v('payload')}::text::jsonb, 'pending', ${v('at')}::timestamptz, ${v('at')}::timestamptz
      from ${accountsTable} a
      join ${peopleTable} p on p.id = a.person_id
      cross join (values ('inbox'), ('wechat')) c(channel)
     where p.community_id = ${v('communityId')}::uuid
       and p.key in (${keys})
       and a.disabled_at is null
       and a.id is distinct from ${v('except')}::uuid
       and (c.channel = 'inbox' or a.wechat_openid is not null)
     order by a.id, c.channel
    on conflict do nothing`;
  }).execute({
    sourceKey,
    kind: message.kind,
    payload,
    at,
    communityId: to.communityId,
    except: to.exceptAccountId ?? null,
    ...personKeys,
  });
}
