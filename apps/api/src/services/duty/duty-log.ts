import {
  addDays,
  type Community,
  Conflict,
  type DutyLogInput,
  type DutyLogIssueInput,
  type DutyLogQuery,
  type DutyLogView,
  dayNumber,
  decideRoute,
  Forbidden,
  instantAt,
  NotFound,
  onDutyAt,
  requireCategory,
  resolveZone,
} from '@gongzhi/domain';
import { and, eq, gte, isNull, lt } from 'drizzle-orm';
import { communitiesTable, type DutyLogRow, dutyLogEntriesTable, issuesTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { actorIn, actorKeyOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { getIssue } from '../issues/get-issue';
import { persistIssue } from '../issues/persist-issue';
import {
  dutySetupOf,
  loadPublishedShiftRows,
  myCommunity,
  requireRange,
  requireStaff,
  todayIn,
  toRotaShift,
} from './duty-setup';
import { MAX_READ_DAYS } from './read-duty';

const pages = keyset(dutyLogEntriesTable.createdAt, dutyLogEntriesTable.id);

function toLogView(community: Community, e: DutyLogRow, issueCode: string | null): DutyLogView {
  return {
    id: e.id,
    community: community.key,
    person: { key: e.person, name: community.people.get(e.person)?.name ?? e.person },
    org: e.org,
    shiftId: e.shiftId,
    askedBy: e.askedBy,
    topic: e.topic,
    answer: e.answer,
    issueId: e.issueId,
    issueCode,
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * The person on duty records a question answered (接待记录). Only while on duty: the log is the
 * duty desk's record, and an entry from someone off duty would misstate who answered residents.
 */
export async function recordDutyLog(ctx: ServiceContext, input: DutyLogInput): Promise<DutyLogView> {
  const { principal, community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const now = ctx.now();
  const today = todayIn(setup, now);
  const cid = await communityId(ctx.db, community.key);
  const rows = await loadPublishedShiftRows(ctx.db, cid, addDays(today, -1), today);
  const mine = onDutyAt(
    rows.filter((r) => r.person === person).map((r) => ({ ...toRotaShift(r), id: r.id })),
    setup.config.shifts,
    now,
    setup.timezone,
  );
  if (mine.length === 0) {
    throw Forbidden('not_on_duty', '您当前不在值班时间内，只有当班人员可以登记接待记录');
  }
  return ctx.db.transaction(async (tx) => {
    const [entry] = await tx
      .insert(dutyLogEntriesTable)
      .values({
        communityId: cid,
        shiftId: mine[0]!.id,
        person,
        org: mine[0]!.org,
        recorderAccountId: principal.accountId,
        askedBy: input.askedBy,
        topic: input.topic,
        answer: input.answer,
        createdAt: now,
      })
      .returning();
    await recordIdempotentCommit(tx, ctx.idempotency, entry!.id);
    return toLogView(community, entry!, null);
  });
}

/** The duty log of a community, newest first, optionally within local dates [from, to] (staff only). */
export async function listDutyLog(ctx: ServiceContext, key: string, q: DutyLogQuery) {
  const community = getCommunity(ctx, key);
  requireStaff(ctx, community);
  const tz = community.config.timezone;
  const today = todayIn({ timezone: tz }, ctx.now());
  const from = q.from ?? (q.to ? addDays(q.to, -(MAX_READ_DAYS - 1)) : addDays(today, -(MAX_READ_DAYS - 1)));
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  requireRange(from, to, MAX_READ_DAYS, 'querystring');
  const cid = await communityId(ctx.db, key);
  const rows = await ctx.db
    .select({ entry: dutyLogEntriesTable, issueCode: issuesTable.code })
    .from(dutyLogEntriesTable)
    .leftJoin(issuesTable, eq(issuesTable.id, dutyLogEntriesTable.issueId))
    .where(
      and(
        eq(dutyLogEntriesTable.communityId, cid),
        gte(dutyLogEntriesTable.createdAt, instantAt(dayNumber(from), 0, tz)),
        lt(dutyLogEntriesTable.createdAt, instantAt(dayNumber(to) + 1, 0, tz)),
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(
    rows.map((r) => ({ ...r, createdAt: r.entry.createdAt, id: r.entry.id })),
    q.limit,
  );
  return {
    items: page.items.map((r) => toLogView(community, r.entry, r.issueCode ?? null)),
    nextCursor: page.nextCursor,
  };
}

/** One entry, with its community; 404 for anyone who is not staff of that community. */
async function loadEntry(ctx: ServiceContext, id: string) {
  const [found] = await ctx.db
    .select({ entry: dutyLogEntriesTable, community: communitiesTable.key, issueCode: issuesTable.code })
    .from(dutyLogEntriesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, dutyLogEntriesTable.communityId))
    .leftJoin(issuesTable, eq(issuesTable.id, dutyLogEntriesTable.issueId))
    .where(eq(dutyLogEntriesTable.id, id));
  const community = found ? ctx.communities.get(found.community) : undefined;
  if (!found || !community) throw NotFound('duty_log_not_found', '接待记录不存在');
  try {
    requireStaff(ctx, community);
  } catch (err) {
    if ((err as { code?: string }).code === 'staff_only')
      throw NotFound('duty_log_not_found', '接待记录不存在');
    throw err;
  }
  return { ...found, community };
}

export async function getDutyLogEntry(ctx: ServiceContext, id: string) {
  const { entry, community, issueCode } = await loadEntry(ctx, id);
  return toLogView(community, entry, issueCode ?? null);
}

/**
 * Turn a log entry into an issue in one step, through the one issue-creation path (persistIssue):
 * routed like any report, channel 值班接待, the resident who asked named as reporter. The entry
 * points to the issue and the issue's intake event names the entry, both in the same transaction;
 * an entry becomes at most one issue. The duty desk serves the whole community, so the person on
 * duty may file in any zone. Who may: the person who answered, rota managers and administrators.
 */
export async function dutyLogToIssue(ctx: ServiceContext, id: string, input: DutyLogIssueInput) {
  const { entry, community } = await loadEntry(ctx, id);
  const principal = ctx.principal!;
  const actor = actorIn(principal, community);
  const mayFile =
    actor.admin || actor.roles?.person === entry.person || actor.roles?.secretary || actor.roles?.leadership;
  if (!mayFile) {
    throw Forbidden(
      'duty_log_not_yours',
      '只有接待该来访的值班人员、四位一体秘书、领导小组成员或管理员可以转为问题',
    );
  }
  if (entry.issueId) {
    throw Conflict('duty_log_already_filed', '该接待记录已转为问题', [
      { path: 'params.id', message: '已转为问题', issueId: entry.issueId },
    ]);
  }
  const zone = resolveZone(community, input, 'body.');
  requireCategory(community, input.category, 'body.');
  const facts = {
    zone: zone.key,
    category: input.category,
    urgency: input.urgency,
    scope: 'building' as const,
    usesMaintenanceFund: false,
    touchesSharedParts: false,
    multiOrg: false,
  };
  const description =
    input.description ??
    `【值班接待】${entry.askedBy}反映：${entry.topic}。值班答复：${entry.answer}`.slice(0, 2000);
  const issueId = await persistIssue(
    ctx,
    ctx.now(),
    {
      community: community.key,
      zone: zone.key,
      building: input.building ?? null,
      spot: input.spot ?? null,
      category: input.category,
      description,
      urgency: input.urgency,
      scope: facts.scope,
      usesMaintenanceFund: false,
      touchesSharedParts: false,
      multiOrg: false,
      channel: 'duty_desk',
      route: decideRoute(facts, community),
      reporterAccountId: principal.accountId,
      reporterActor: actorKeyOf(principal),
      reporterName: entry.askedBy,
      reporterPhone: null,
      photoIds: [],
      photoOwner: undefined,
      photoPath: 'body.photoIds',
      intakeData: { dutyLogId: entry.id },
      onCreated: async (tx, newIssueId) => {
        // An entry recorded in an archived quarter is part of that quarter's record.
        await assertQuarterOpen(tx, entry.communityId, entry.createdAt);
        // Conditional, so that two requests racing on one entry cannot both file an issue.
        const linked = await tx
          .update(dutyLogEntriesTable)
          .set({ issueId: newIssueId })
          .where(and(eq(dutyLogEntriesTable.id, entry.id), isNull(dutyLogEntriesTable.issueId)))
          .returning({ id: dutyLogEntriesTable.id });
        if (linked.length === 0) throw Conflict('duty_log_already_filed', '该接待记录已转为问题');
      },
    },
    ctx.idempotency,
  );
  return getIssue(ctx, issueId);
}
