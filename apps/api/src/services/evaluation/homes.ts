import {
  assertMayVerifyHome,
  bindsHome,
  type Community,
  Conflict,
  cancelHome,
  type DecideHomeInput,
  decideHome,
  Forbidden,
  HOME_STATUS_NAMES,
  type HomeView,
  householdLabel,
  type ListHomeRequestsQuery,
  mayVerifyHome,
  NotFound,
  type RequestHomeInput,
  readsAllHomeRequests,
  resolveHousehold,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { communitiesTable, residentHomesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';

type HomeRow = typeof residentHomesTable.$inferSelect;
const pages = keyset(residentHomesTable.requestedAt, residentHomesTable.id);
const notFound = () => NotFound('home_not_found', '房屋绑定申请不存在或您无权查看');

export function toHomeView(row: HomeRow, community: Community): HomeView {
  return {
    id: row.id,
    community: community.key,
    building: row.building,
    room: row.room,
    household: householdLabel(row),
    zone: row.zone,
    zoneName: community.zones.get(row.zone)?.name ?? row.zone,
    status: row.status,
    statusName: HOME_STATUS_NAMES[row.status],
    name: row.name,
    phone: row.phone,
    note: row.note,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
  };
}

/** The account's active binding in a community (pending or verified), if any. */
export async function activeHome(db: Db | Tx, accountId: string, cid: string): Promise<HomeRow | null> {
  const [row] = await db
    .select()
    .from(residentHomesTable)
    .where(
      and(
        eq(residentHomesTable.accountId, accountId),
        eq(residentHomesTable.communityId, cid),
        inArray(residentHomesTable.status, ['pending', 'verified']),
      ),
    );
  return row ?? null;
}

/** A resident asks to be recognised as living in a household; the zone's staff verify it. */
export async function requestHome(ctx: ServiceContext, input: RequestHomeInput): Promise<HomeView> {
  const principal = callerOf(ctx);
  if (!bindsHome(principal.kind)) {
    throw Forbidden('residents_only', '只有居民账号可以绑定房屋');
  }
  const community = getCommunity(ctx, input.community);
  const household = resolveHousehold(community, input);
  const cid = await communityId(ctx.db, community.key);
  const [row] = await ctx.db
    .insert(residentHomesTable)
    .values({
      communityId: cid,
      accountId: principal.accountId,
      building: household.building,
      room: household.room,
      zone: household.zone.key,
      status: 'pending',
      name: input.name,
      phone: input.phone ?? null,
      requestedAt: ctx.now(),
    })
    // The partial unique index allows one pending-or-verified binding per account and community.
    .onConflictDoNothing()
    .returning();
  if (!row) {
    const current = await activeHome(ctx.db, principal.accountId, cid);
    throw Conflict(
      'home_already_bound',
      current
        ? `您已${HOME_STATUS_NAMES[current.status]}绑定 ${householdLabel(current)}，如需更换请先解除`
        : '您已绑定房屋，如需更换请先解除',
    );
  }
  return toHomeView(row, community);
}

/** The resident's bindings, newest first (at most one active per community). */
export async function listMyHomes(ctx: ServiceContext) {
  const principal = callerOf(ctx);
  const rows = await ctx.db
    .select({ row: residentHomesTable, communityKey: communitiesTable.key })
    .from(residentHomesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, residentHomesTable.communityId))
    .where(eq(residentHomesTable.accountId, principal.accountId))
    .orderBy(...pages.orderBy)
    .limit(50);
  return { items: rows.map((r) => toHomeView(r.row, getCommunity(ctx, r.communityKey))) };
}

async function lockHome(tx: Tx, ctx: ServiceContext, id: string) {
  const [found] = await tx
    .select({ row: residentHomesTable, communityKey: communitiesTable.key })
    .from(residentHomesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, residentHomesTable.communityId))
    .where(eq(residentHomesTable.id, id))
    .for('update', { of: residentHomesTable });
  if (!found) throw notFound();
  return { row: found.row, community: getCommunity(ctx, found.communityKey) };
}

/** The resident withdraws a request or gives up a binding (moving out). Past responses stand. */
export async function cancelMyHome(ctx: ServiceContext, id: string): Promise<HomeView> {
  const principal = callerOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { row, community } = await lockHome(tx, ctx, id);
    if (row.accountId !== principal.accountId) throw notFound();
    const [updated] = await tx
      .update(residentHomesTable)
      .set({ status: cancelHome(row.status) })
      .where(eq(residentHomesTable.id, id))
      .returning();
    return toHomeView(updated!, community);
  });
}

/** Zones whose requests the caller may see: those they verify in; all for secretary, leadership and admin. */
function readableZones(ctx: ServiceContext, community: Community): string[] | 'all' {
  const actor = actorIn(callerOf(ctx), community);
  if (readsAllHomeRequests(actor)) return 'all';
  return [...community.zones.keys()].filter((z) => mayVerifyHome(actor.roles, z));
}

/** The verifiers' queue: requests in the caller's zones, newest first. */
export async function listHomeRequests(ctx: ServiceContext, q: ListHomeRequestsQuery) {
  const community = getCommunity(ctx, q.community);
  const zones = readableZones(ctx, community);
  if (zones !== 'all' && zones.length === 0) {
    throw Forbidden('not_zone_verifier', '只有区域的居委会、业委会或网格人员可以查看房屋认证申请');
  }
  const rows = await ctx.db
    .select()
    .from(residentHomesTable)
    .where(
      and(
        eq(residentHomesTable.communityId, await communityId(ctx.db, community.key)),
        zones === 'all' ? undefined : inArray(residentHomesTable.zone, zones),
        eq(residentHomesTable.status, q.status),
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.requestedAt })),
    q.limit,
  );
  return { items: page.items.map((r) => toHomeView(r, community)), nextCursor: page.nextCursor };
}

/** A zone's rc, oc or grid person confirms (or refuses) that the resident lives there. */
export async function decideHomeRequest(ctx: ServiceContext, id: string, input: DecideHomeInput) {
  const principal = callerOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { row, community } = await lockHome(tx, ctx, id);
    const actor = actorIn(principal, community);
    const zones = readableZones(ctx, community);
    if (zones !== 'all' && !zones.includes(row.zone)) throw notFound();
    assertMayVerifyHome(actor.roles, row.zone);
    const status = decideHome(row.status, input.approve);
    const [updated] = await tx
      .update(residentHomesTable)
      .set({
        status,
        note: input.note ?? null,
        decidedAt: ctx.now(),
        decidedByAccountId: principal.accountId,
        decidedBy: community.people.get(actor.roles!.person)?.name ?? principal.displayName,
      })
      .where(eq(residentHomesTable.id, id))
      .returning();
    return toHomeView(updated!, community);
  });
}
