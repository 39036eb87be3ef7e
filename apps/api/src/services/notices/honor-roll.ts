import {
  assertMayKeepHonorRoll,
  Conflict,
  HONOR_LIST_NAMES,
  type HonorEntriesQuery,
  type HonorEntryInput,
  type HonorEntryPage,
  type HonorEntryView,
  honorKeeperOrg,
  honorRollNotice,
  Invalid,
  keepsHonorRoll,
  localDateOf,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { type HonorEntryRow, honorEntriesTable, noticesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { actorName } from './notice-store';

const pages = keyset(honorEntriesTable.createdAt, honorEntriesTable.id);

/** POST /api/communities/:key/honor-roll: a keeper records an entry (append-only). Returns its view. */
export async function recordHonorEntry(ctx: ServiceContext, key: string, body: HonorEntryInput) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  assertMayKeepHonorRoll(actor);
  const now = ctx.now();
  if (body.day > localDateOf(now, community.config.timezone)) {
    throw Invalid('day_in_future', '上榜日期不能晚于今天', [{ path: 'body.day', message: '日期在将来' }]);
  }
  const me = actorName(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const row = await ctx.db.transaction(async (tx) => {
    const [r] = await tx
      .insert(honorEntriesTable)
      .values({
        communityId: cid,
        list: body.list,
        subject: body.subject,
        reason: body.reason,
        day: body.day,
        recordedBy: me.key,
        recordedByName: me.name,
        recordedFor: honorKeeperOrg(actor),
        recordedByAccountId: principal.accountId,
        createdAt: now,
      })
      .returning();
    await recordIdempotentCommit(tx, ctx.idempotency, r!.id);
    return r!;
  });
  return toView(row, new Map());
}

function toView(
  row: HonorEntryRow,
  published: Map<string, { id: string; number: string | null }>,
): HonorEntryView {
  return {
    id: row.id,
    list: row.list,
    listName: HONOR_LIST_NAMES[row.list],
    subject: row.subject,
    reason: row.reason,
    day: row.day,
    recordedBy: row.recordedByName,
    recordedFor: row.recordedFor,
    recordedAt: row.createdAt.toISOString(),
    notice: published.get(row.id) ?? null,
  };
}

/** Each entry's published 红黑榜 notice (the latest), from the notices' sources. */
async function publishedNotices(db: Db | Tx, cid: string) {
  const rows = await db
    .select({ id: noticesTable.id, number: noticesTable.number, source: noticesTable.source })
    .from(noticesTable)
    .where(
      and(
        eq(noticesTable.communityId, cid),
        eq(noticesTable.kind, 'honor_roll'),
        inArray(noticesTable.status, ['published', 'superseded']),
      ),
    )
    .orderBy(noticesTable.publishedAt);
  const out = new Map<string, { id: string; number: string | null }>();
  for (const r of rows)
    if (r.source?.kind === 'honor_roll')
      for (const e of r.source.entries) out.set(e, { id: r.id, number: r.number });
  return out;
}

/** GET /api/communities/:key/honor-roll: the keepers' history of entries, newest first. */
export async function listHonorEntries(
  ctx: ServiceContext,
  key: string,
  q: HonorEntriesQuery,
): Promise<HonorEntryPage> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  assertMayKeepHonorRoll(actor);
  const cid = await communityId(ctx.db, community.key);
  const rows = await ctx.db
    .select()
    .from(honorEntriesTable)
    .where(
      and(
        eq(honorEntriesTable.communityId, cid),
        q.list ? eq(honorEntriesTable.list, q.list) : undefined,
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  const published = await publishedNotices(ctx.db, cid);
  return {
    items: page.items.map((r) => toView(r, published)),
    nextCursor: page.nextCursor,
    keeps: keepsHonorRoll(actor),
  };
}

/** The 红黑榜 notice generator: the chosen entries of this community, checked by a keeper. */
export async function honorRollDraft(ctx: ServiceContext, tx: Tx, communityKey: string, entries: string[]) {
  const community = getCommunity(ctx, communityKey);
  assertMayKeepHonorRoll(actorIn(callerOf(ctx), community));
  const cid = await communityId(tx, community.key);
  const ids = [...new Set(entries)];
  const rows = await tx
    .select()
    .from(honorEntriesTable)
    .where(and(eq(honorEntriesTable.communityId, cid), inArray(honorEntriesTable.id, ids)));
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((r) => r.id));
    throw Invalid('honor_entry_not_found', '有榜单条目不存在', [
      { path: 'body.source.entries', message: `不存在：${ids.filter((i) => !found.has(i)).join('、')}` },
    ]);
  }
  if (rows.length === 0) throw Conflict('honor_entries_empty', '请至少选择一条榜单条目');
  return honorRollNotice(community, rows);
}

/** One entry, for a keeper (the idempotent replay of its recording). */
export async function getHonorEntry(ctx: ServiceContext, key: string, id: string) {
  const community = getCommunity(ctx, key);
  assertMayKeepHonorRoll(actorIn(callerOf(ctx), community));
  const cid = await communityId(ctx.db, community.key);
  const [row] = await ctx.db
    .select()
    .from(honorEntriesTable)
    .where(and(eq(honorEntriesTable.id, id), eq(honorEntriesTable.communityId, cid)));
  if (!row) throw Invalid('honor_entry_not_found', '榜单条目不存在', []);
  return toView(row, await publishedNotices(ctx.db, cid));
}
