import type {
  AccountEventAction,
  AccountEventList,
  AccountEventQuery,
  AccountEventView,
} from '@gongzhi/domain';
import { and, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client';
import { accountEventsTable, accountsTable, communitiesTable, peopleTable } from '../../db/schema';
import { type AuditLogger, audit } from '../../lib/audit';
import { keyset } from '../../lib/keyset';
import type { ServiceContext } from '../context';
import { reachCondition, requireReach } from './account-access';

export interface AccountEventInput {
  accountId: string;
  action: AccountEventAction;
  detail?: Record<string, unknown>;
}

/** Who acts: the signed-in caller, or the command line (`cli`) run by an operator on the server. */
export type AccountActor =
  | { source: 'app'; accountId: string; name: string; requestId: string | null; log?: AuditLogger }
  | { source: 'cli'; name: string };

export const actorOf = (ctx: ServiceContext): AccountActor => ({
  source: 'app',
  accountId: ctx.principal!.accountId,
  name: ctx.principal!.displayName,
  requestId: ctx.requestId ?? null,
  log: ctx.log,
});

/** Append one event to the account log, in the caller's transaction so it lands with the change. */
export async function appendAccountEvent(tx: Db | Tx, actor: AccountActor, at: Date, e: AccountEventInput) {
  await tx.insert(accountEventsTable).values({
    at,
    accountId: e.accountId,
    action: e.action,
    source: actor.source,
    actorAccountId: actor.source === 'app' ? actor.accountId : null,
    actorName: actor.name,
    requestId: actor.source === 'app' ? actor.requestId : null,
    detail: e.detail ?? {},
  });
  // The audit line of every account change (the command line has its own record: the account log).
  if (actor.source === 'app')
    audit(actor.log, {
      action: `account.${e.action}`,
      actor: actor.accountId,
      target: `account:${e.accountId}`,
      at,
      requestId: actor.requestId,
    });
}

const pages = keyset(accountEventsTable.at, accountEventsTable.id);
const target = alias(accountsTable, 'target');

/** Events newest first, of one account or of every account the caller manages. */
export async function queryAccountEvents(
  db: Db,
  where: SQL | undefined,
  limit: number,
  cursor?: string,
): Promise<AccountEventList> {
  const rows = await db
    .select({
      id: accountEventsTable.id,
      at: accountEventsTable.at,
      action: accountEventsTable.action,
      source: accountEventsTable.source,
      actorAccountId: accountEventsTable.actorAccountId,
      actorName: accountEventsTable.actorName,
      requestId: accountEventsTable.requestId,
      detail: accountEventsTable.detail,
      accountId: target.id,
      accountName: target.displayName,
      accountPhone: target.phone,
    })
    .from(accountEventsTable)
    .innerJoin(target, eq(target.id, accountEventsTable.accountId))
    .leftJoin(peopleTable, eq(peopleTable.id, target.personId))
    .leftJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId))
    .where(and(where, pages.after(cursor)))
    .orderBy(...pages.orderBy)
    .limit(limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.at })),
    limit,
  );
  return {
    items: page.items.map(
      (r): AccountEventView => ({
        id: r.id,
        at: r.at.toISOString(),
        action: r.action,
        source: r.source,
        actor: { accountId: r.actorAccountId, name: r.actorName },
        account: { id: r.accountId, name: r.accountName, phone: r.accountPhone },
        detail: r.detail,
        requestId: r.requestId,
      }),
    ),
    nextCursor: page.nextCursor,
  };
}

/** The account log as the caller may read it: all of it (administrators) or their community's staff. */
export async function listAccountEvents(ctx: ServiceContext, q: AccountEventQuery) {
  const reach = requireReach(ctx);
  const scoped = reachCondition(reach, target.kind);
  const one = q.account ? eq(accountEventsTable.accountId, q.account) : undefined;
  return queryAccountEvents(ctx.db, and(scoped, one), q.limit, q.cursor);
}
