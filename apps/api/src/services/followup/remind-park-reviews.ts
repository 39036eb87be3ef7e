import { type Community, localDateOf, parkReviewReminderDue } from '@gongzhi/domain';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issueEventsTable, issuesTable } from '../../db/schema';
import { issueNotArchived } from '../archive/quarter-lock';
import type { ServiceContext } from '../context';
import { issueFacts } from '../tasks/open-tasks';
import { appendSystemEvent, lockIssue } from './system-event';

type Ctx = Pick<ServiceContext, 'db' | 'now'>;
const BATCH = 100;
const REMINDER = 'park_review_due';

/** The newest reminder's instant on an issue (the record of "reminded"), or null. */
async function lastReminderAt(tx: Tx, issueId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ at: issueEventsTable.createdAt })
    .from(issueEventsTable)
    .where(and(eq(issueEventsTable.issueId, issueId), eq(issueEventsTable.action, REMINDER)))
    .orderBy(desc(issueEventsTable.createdAt))
    .limit(1);
  return row?.at ?? null;
}

/**
 * 挂账到期提醒 (issue 17): on a parked issue's review date the owner and whoever parked (or last
 * re-parked) it are told, once per review date (parkReviewReminderDue). The reminder is an internal
 * event on the issue written with its notification in one transaction, so another process or a
 * restart finds it and does not tell them again; each issue is claimed FOR UPDATE SKIP LOCKED.
 * Returns how many issues were reminded.
 */
export async function remindParkReviews(ctx: Ctx, community: Community, cid: string): Promise<number> {
  const now = ctx.now();
  const reminded = sql`exists (select 1 from ${issueEventsTable} where ${issueEventsTable.issueId} = ${issuesTable.id} and ${issueEventsTable.action} = ${REMINDER} and ${issueEventsTable.createdAt} >= ${issuesTable.parkedUntil})`;
  const due = await ctx.db
    .select({ id: issuesTable.id })
    .from(issuesTable)
    .where(
      and(
        eq(issuesTable.communityId, cid),
        eq(issuesTable.status, 'parked'),
        lte(issuesTable.parkedUntil, now),
        sql`not ${reminded}`,
        issueNotArchived,
      ),
    )
    .limit(BATCH);
  let n = 0;
  for (const { id } of due) {
    await ctx.db.transaction(async (tx) => {
      const issue = await lockIssue(tx, id);
      if (!issue) return;
      const lastRemindedAt = await lastReminderAt(tx, id);
      if (!parkReviewReminderDue({ ...issue, lastRemindedAt }, now)) return;
      const [parking] = await tx
        .select({ actor: issueEventsTable.actor, note: issueEventsTable.note })
        .from(issueEventsTable)
        .where(and(eq(issueEventsTable.issueId, id), inArray(issueEventsTable.action, ['park', 'repark'])))
        .orderBy(desc(issueEventsTable.id))
        .limit(1);
      const reviewDate = localDateOf(issue.parkedUntil!, community.config.timezone);
      await appendSystemEvent(
        tx,
        issue,
        now,
        {
          action: REMINDER,
          note: `挂账复核日期 ${reviewDate} 已到，已提醒责任人复核`,
          data: { reviewAt: issue.parkedUntil!.toISOString(), parkedBy: parking?.actor ?? null },
        },
        {
          to: { communityId: cid, persons: [issue.owner, parking?.actor] },
          message: {
            kind: 'park_review_due',
            issue: issueFacts(community, issue),
            reviewDate,
            reason: parking?.note ?? null,
          },
        },
      );
      n++;
    });
  }
  return n;
}
