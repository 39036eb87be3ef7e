import {
  assertMayRecordRound,
  checkRound,
  countRounds,
  Forbidden,
  getZone,
  monthLabel,
  NotFound,
  type RecordRoundBody,
  ROUND_KIND_NAMES,
  ROUND_OUTCOME_NAMES,
  type RoundsQuery,
  type RoundsView,
  type RoundView,
  resolveZone,
  roundMonthOf,
  roundReach,
  roundZones,
} from '@gongzhi/domain';
import { and, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { communitiesTable, issuesTable, patrolRoundsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';

type RoundRow = typeof patrolRoundsTable.$inferSelect;

async function toViews(ctx: ServiceContext, key: string, rows: RoundRow[]): Promise<RoundView[]> {
  const community = getCommunity(ctx, key);
  const ids = [...new Set(rows.flatMap((r) => r.issueIds))];
  const codes = new Map<string, string>();
  if (ids.length) {
    for (const i of await ctx.db
      .select({ id: issuesTable.id, code: issuesTable.code })
      .from(issuesTable)
      .where(inArray(issuesTable.id, ids)))
      codes.set(i.id, i.code);
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindName: ROUND_KIND_NAMES[r.kind],
    person: r.person,
    personName: r.personName,
    zone: r.zone,
    zoneName: community.zones.get(r.zone)?.name ?? r.zone,
    building: r.building,
    place: r.place,
    at: r.at.toISOString(),
    outcome: r.outcome,
    outcomeName: ROUND_OUTCOME_NAMES[r.outcome],
    issues: r.issueIds.map((id) => ({ id, code: codes.get(id) ?? id.slice(0, 8) })),
    note: r.note,
    recordedAt: r.recordedAt.toISOString(),
  }));
}

/** A patrol round or home visit is recorded, found nothing or with the issues filed during it. */
export async function recordRound(ctx: ServiceContext, body: RecordRoundBody): Promise<RoundView> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, body.community);
  const actor = actorIn(principal, community);
  const zone =
    body.building !== undefined
      ? resolveZone(community, { building: body.building, zone: body.zone }, 'body.')
      : getZone(community, body.zone);
  assertMayRecordRound(actor.roles, zone.key, body.kind);
  const person = actor.roles!.person;
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  const at = body.at ? new Date(body.at) : now;
  const ids = [...new Set(body.issueIds.map((i) => i.toLowerCase()))];
  const found = ids.length
    ? await ctx.db
        .select({ id: issuesTable.id, zone: issuesTable.zone })
        .from(issuesTable)
        .where(and(eq(issuesTable.communityId, cid), inArray(issuesTable.id, ids)))
    : [];
  checkRound(
    { outcome: body.outcome, issueIds: ids, at, zone: zone.key },
    { now, issues: new Map(found.map((i) => [i.id, { zone: i.zone }])) },
  );
  const row = await ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(patrolRoundsTable)
      .values({
        communityId: cid,
        kind: body.kind,
        person,
        personName: community.people.get(person)?.name ?? person,
        accountId: principal.accountId,
        zone: zone.key,
        building: body.building ?? null,
        place: body.place || null,
        at,
        outcome: body.outcome,
        issueIds: ids,
        note: body.note || null,
        recordedAt: now,
      })
      .returning();
    await recordIdempotentCommit(tx, ctx.idempotency, inserted!.id);
    return inserted!;
  });
  return (await toViews(ctx, community.key, [row]))[0]!;
}

export async function getRound(ctx: ServiceContext, id: string): Promise<RoundView> {
  const principal = callerOf(ctx);
  const [found] = await ctx.db
    .select({ row: patrolRoundsTable, key: communitiesTable.key })
    .from(patrolRoundsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, patrolRoundsTable.communityId))
    .where(eq(patrolRoundsTable.id, id));
  const reach = found ? roundReach(actorIn(principal, getCommunity(ctx, found.key))) : null;
  const reads =
    !!found &&
    !!reach &&
    ('all' in reach || found.row.person === reach.person || reach.zones.includes(found.row.zone));
  if (!reads) throw NotFound('round_not_found', '巡查记录不存在');
  return (await toViews(ctx, found!.key, [found!.row]))[0]!;
}

/**
 * One month of rounds the caller reads (all, their zones' as zone leader, or their own), with the
 * counts per person (the 两巡两访 KPI).
 */
export async function listRounds(ctx: ServiceContext, key: string, q: RoundsQuery): Promise<RoundsView> {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  const tz = community.config.timezone;
  const month = q.month ?? roundMonthOf(ctx.now(), tz);
  const reach = roundReach(actor);
  const where: (SQL | undefined)[] = [
    eq(patrolRoundsTable.communityId, await communityId(ctx.db, community.key)),
  ];
  if (!('all' in reach)) {
    if (!reach.person && reach.zones.length === 0) {
      throw Forbidden(
        'rounds_not_permitted',
        '只有巡查人员、区域组长、领导小组、秘书和监督委员会可以查看巡查走访记录',
      );
    }
    const mine: SQL[] = [];
    if (reach.person) mine.push(eq(patrolRoundsTable.person, reach.person));
    if (reach.zones.length) mine.push(inArray(patrolRoundsTable.zone, reach.zones));
    where.push(or(...mine));
  }
  if (q.zone) where.push(eq(patrolRoundsTable.zone, q.zone));
  // The month in local time, with a day's margin either side; countRounds keeps the month exactly.
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - 86_400_000);
  const to = new Date(Date.UTC(y, m, 1) + 86_400_000);
  where.push(gte(patrolRoundsTable.at, from), lt(patrolRoundsTable.at, to));
  const rows = (
    await ctx.db
      .select()
      .from(patrolRoundsTable)
      .where(and(...where))
      .orderBy(desc(patrolRoundsTable.at), desc(patrolRoundsTable.id))
  ).filter((r) => roundMonthOf(r.at, tz) === month);
  const nameOf = (p: string) => community.people.get(p)?.name ?? p;
  const zones = roundZones(actor.roles);
  return {
    month,
    monthLabel: monthLabel(month, true),
    counts: countRounds(
      rows.map((r) => ({
        person: r.person,
        kind: r.kind,
        at: r.at,
        outcome: r.outcome,
        issueCount: r.issueIds.length,
      })),
      month,
      tz,
      nameOf,
    ),
    items: await toViews(ctx, community.key, rows.slice(0, 100)),
    recordZones: zones.map((z) => ({ key: z, name: community.zones.get(z)?.name ?? z })),
    allowedActions: zones.length ? ['record'] : [],
  };
}
