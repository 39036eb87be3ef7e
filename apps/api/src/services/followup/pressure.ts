import {
  type Community,
  leadershipOf,
  localDateOf,
  missedCadenceWindow,
  monthPeriod,
  ORG_NAMES,
  type Org,
  type OrgSatisfaction,
  periodInstants,
  proposeLetters,
} from '@gongzhi/domain';
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import {
  issueEventsTable,
  issueRatingsTable,
  issuesTable,
  jointMeetingsTable,
  letterProposalsTable,
  tasksTable,
} from '../../db/schema';
import type { ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { rowsOf } from '../rollup/refresh-issue-counts';

type Ctx = Pick<ServiceContext, 'db' | 'now'>;

/**
 * Residents pressing hard (seed 001 §七.3, 群众反映比较强烈): the clock proposes a 警示函 to the
 * leadership, never issues one. Complaints on one issue are its reporter's rejections of a fix
 * (reopen_count), a low rating and the duplicates merged into it; an organisation's 满意率 is over the ratings given last month on
 * issues it had work on. Each proposal is made once (its key is unique) and the leadership is told.
 */
export async function proposeLettersFromPressure(ctx: Ctx, community: Community, cid: string) {
  const cfg = community.config.followUp.letterTriggers;
  const now = ctx.now();
  // The complaints on each issue, counted where they are recorded: its reopens (reopen_count), a
  // low rating, the duplicates merged into it (each merged duplicate's merge event names it, as
  // the survivor's merged_in does; merged is final). Each source is read by an index of the
  // community and only an issue complained of appears: a pass reads those, not every issue of the
  // community with a count of its events each.
  const pressed = rowsOf<{
    id: string;
    code: string;
    reopens: number;
    low_ratings: number;
    duplicates: number;
  }>(
    await ctx.db.execute(sql`
      select i.id, i.code, p.reopens, p.low_ratings, p.duplicates
      from (
        select issue_id, sum(reopens)::int as reopens, sum(low)::int as low_ratings, sum(dups)::int as duplicates
        from (
          select c.id as issue_id, c.reopen_count as reopens, 0 as low, 0 as dups
            from ${issuesTable} c where c.community_id = ${cid} and c.reopen_count > 0
          union all
          select r.issue_id, 0, 1, 0
            from ${issueRatingsTable} r where r.community_id = ${cid} and r.score <= ${cfg.lowRatingAtMost}
          union all
          select (m.data->>'into')::uuid, 0, 0, 1 from ${issuesTable} d
            cross join lateral (select e.data from ${issueEventsTable} e
              where e.issue_id = d.id and e.action = 'merge' order by e.id desc limit 1) m
            where d.community_id = ${cid} and d.status = 'merged'
        ) complaints
        group by issue_id
        having sum(reopens + low + dups) >= ${cfg.complaintsPerIssue}
      ) p
      join ${issuesTable} i on i.id = p.issue_id
      where i.community_id = ${cid} and not i.hidden
        and not exists (select 1 from ${letterProposalsTable} lp
          where lp.community_id = ${cid} and lp.key = 'issue:' || i.id::text)
      limit 100`),
  );
  const orgOf = new Map<string, Org>();
  if (pressed.length) {
    const tasks = await ctx.db
      .select({ issueId: tasksTable.issueId, org: tasksTable.org })
      .from(tasksTable)
      .where(
        inArray(
          tasksTable.issueId,
          pressed.map((p) => p.id),
        ),
      )
      .orderBy(desc(tasksTable.createdAt));
    for (const t of tasks) if (!orgOf.has(t.issueId)) orgOf.set(t.issueId, t.org);
  }

  // Last month's 满意率 by organisation (once the month has ended).
  const today = localDateOf(now, community.config.timezone);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const last = m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
  const { start, end } = periodInstants(last, community.config.timezone);
  const rated = await ctx.db
    .selectDistinct({
      issueId: issueRatingsTable.issueId,
      score: issueRatingsTable.score,
      org: tasksTable.org,
    })
    .from(issueRatingsTable)
    .innerJoin(tasksTable, eq(tasksTable.issueId, issueRatingsTable.issueId))
    .where(
      and(
        eq(issueRatingsTable.communityId, cid),
        gte(issueRatingsTable.createdAt, start),
        lt(issueRatingsTable.createdAt, end),
      ),
    );
  const byOrg = new Map<Org, OrgSatisfaction>();
  for (const r of rated) {
    const s = byOrg.get(r.org) ?? { org: r.org, month: last.key, satisfied: 0, rated: 0 };
    s.rated++;
    if (r.score >= 4) s.satisfied++;
    byOrg.set(r.org, s);
  }

  const drafts = proposeLetters(
    cfg,
    pressed.map((p) => ({
      issueId: p.id,
      code: p.code,
      org: orgOf.get(p.id) ?? null,
      reopens: p.reopens,
      lowRatings: p.low_ratings,
      duplicates: p.duplicates,
    })),
    [...byOrg.values()],
  );
  let made = 0;
  for (const d of drafts) {
    await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(letterProposalsTable)
        .values({
          communityId: cid,
          key: d.key,
          kind: d.kind,
          org: d.org,
          reason: d.reason,
          issueIds: d.issueIds,
          status: 'pending',
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: letterProposalsTable.id });
      if (!row) return;
      made++;
      await notify(
        tx,
        now,
        `letter-proposal:${row.id}`,
        { communityId: cid, persons: leadershipOf(community) },
        { kind: 'letter_proposed', letterKind: d.kind, orgName: ORG_NAMES[d.org], reason: d.reason },
        {},
      );
    });
  }
  return made;
}

/** Local dates of the joint meetings held in a community (all of them: a community holds a few a year). */
export async function heldJointMeetingDates(
  ctx: Pick<ServiceContext, 'db'>,
  community: Community,
  cid: string,
) {
  const rows = await ctx.db
    .select({ at: jointMeetingsTable.at })
    .from(jointMeetingsTable)
    .where(and(eq(jointMeetingsTable.communityId, cid), eq(jointMeetingsTable.status, 'held')));
  return rows.map((r) => localDateOf(r.at, community.config.timezone));
}

/**
 * A cadence window (a month, for the monthly rule) that ended without a joint meeting held: the
 * secretary is reminded, once per window. Records start with the community's first joint meeting
 * (scheduled or held): before it, nothing in the product measures the rule.
 */
export async function remindMissedJointMeeting(ctx: Ctx, community: Community, cid: string) {
  const secretary = community.config.secretary;
  if (!secretary) return 0;
  const [first] = await ctx.db
    .select({ at: jointMeetingsTable.at })
    .from(jointMeetingsTable)
    .where(eq(jointMeetingsTable.communityId, cid))
    .orderBy(jointMeetingsTable.at)
    .limit(1);
  if (!first) return 0;
  const now = ctx.now();
  const today = localDateOf(now, community.config.timezone);
  const held = await heldJointMeetingDates(ctx, community, cid);
  const window = missedCadenceWindow(community.config.meetings.jointMeeting.cadence, today, held);
  if (!window || localDateOf(first.at, community.config.timezone) > window.to) return 0;
  // The outbox key makes this once per window however many passes see it.
  await ctx.db.transaction((tx) =>
    notify(
      tx,
      now,
      `joint-missed:${cid}:${window.key}`,
      { communityId: cid, persons: [secretary] },
      { kind: 'joint_meeting_missed', month: window.label },
    ),
  );
  return 1;
}
