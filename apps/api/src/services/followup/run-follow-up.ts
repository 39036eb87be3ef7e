import {
  addDuration,
  type Community,
  LAPSE_NAMES,
  ORG_NAMES,
  overdueStep,
  warningLetterDue,
} from '@gongzhi/domain';
import dayjs from 'dayjs';
import { and, asc, eq, gte, isNotNull, isNull, lte, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issuesTable, lapsesTable, lettersTable, reportBacksTable, tasksTable } from '../../db/schema';
import { issueNotArchived } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { calendarOf, type ServiceContext } from '../context';
import { SYSTEM_ACTOR, writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { issueLetter } from './letters';
import { proposeLettersFromPressure, remindMissedJointMeeting } from './pressure';
import { remindParkReviews } from './remind-park-reviews';
import { appendSystemEvent, lockIssue } from './system-event';

type FollowUpContext = Pick<ServiceContext, 'db' | 'communities' | 'calendars' | 'now'> &
  Partial<Pick<ServiceContext, 'log'>>;
const BATCH = 100;

/**
 * One pass of the follow-up clock (docs/domain.md §8): overdue tasks get a reminder, then a reminder
 * letter, and repeated letters a warning letter; missed emergency report-backs become lapses with a
 * warning letter; resolved issues nobody verified close after the configured days; parked issues whose review date has
 * come are reminded to their owner and parker, once per review date. Every unit of
 * work is claimed with FOR UPDATE SKIP LOCKED inside its own transaction, so any number of API
 * instances can run this at once: a row one instance holds is skipped by the others, and each step
 * re-checks its condition after taking the lock.
 */
export async function runFollowUp(ctx: FollowUpContext) {
  const out = {
    reminders: 0,
    letters: 0,
    warnings: 0,
    lapsedReportBacks: 0,
    autoClosed: 0,
    letterProposals: 0,
    missedMeetingReminders: 0,
    parkReviewReminders: 0,
  };
  for (const community of ctx.communities.values()) {
    const cid = await communityId(ctx.db, community.key);
    await escalateTasks(ctx, community, cid, out);
    await lapseReportBacks(ctx, community, cid, out);
    await autoClose(ctx, community, cid, out);
    out.letterProposals += await proposeLettersFromPressure(ctx, community, cid);
    out.missedMeetingReminders += await remindMissedJointMeeting(ctx, community, cid);
    out.parkReviewReminders += await remindParkReviews(ctx, community, cid);
  }
  return out;
}

type Counts = Awaited<ReturnType<typeof runFollowUp>>;

async function escalateTasks(ctx: FollowUpContext, community: Community, cid: string, out: Counts) {
  const now = ctx.now();
  const due = await ctx.db
    .select({ id: tasksTable.id, issueId: tasksTable.issueId })
    .from(tasksTable)
    .innerJoin(issuesTable, eq(issuesTable.id, tasksTable.issueId))
    .where(
      and(
        eq(tasksTable.communityId, cid),
        isNotNull(tasksTable.nextEscalationAt),
        lte(tasksTable.nextEscalationAt, now),
        issueNotArchived,
      ),
    )
    .orderBy(asc(tasksTable.nextEscalationAt))
    .limit(BATCH);
  const { followUp, timezone } = community.config;
  for (const d of due) {
    await ctx.db.transaction(async (tx) => {
      const issue = await lockIssue(tx, d.issueId);
      if (!issue) return;
      const [task] = await tx
        .select()
        .from(tasksTable)
        .where(and(eq(tasksTable.id, d.id), lte(tasksTable.nextEscalationAt, now)))
        .for('update', { skipLocked: true });
      if (!task) return;
      const step = overdueStep(task.status, task.overdueStage);
      if (!step) {
        await tx.update(tasksTable).set({ nextEscalationAt: null }).where(eq(tasksTable.id, task.id));
        return;
      }
      const lapse = step.kind === 'accept' ? 'accept_overdue' : 'resolve_overdue';
      const name = community.people.get(task.assignee)?.name ?? task.assignee;
      if (step.step === 'reminder') {
        await tx.insert(lapsesTable).values({
          communityId: cid,
          org: task.org,
          kind: lapse,
          issueId: issue.id,
          taskId: task.id,
          person: task.assignee,
          createdAt: now,
        });
        await appendSystemEvent(
          tx,
          issue,
          now,
          {
            action: 'overdue_reminder',
            note: `${name}的任务${LAPSE_NAMES[lapse]}，已提示处理人和负责人`,
            data: { taskId: task.id, lapse },
          },
          {
            to: { communityId: cid, persons: [task.assignee, issue.owner] },
            message: { kind: 'overdue_reminder', issue: issueFacts(community, issue), lapse, assignee: name },
          },
        );
        await tx
          .update(tasksTable)
          .set({
            overdueStage: 1,
            nextEscalationAt: addDuration(
              now,
              followUp.reminderLetterAfter,
              calendarOf(ctx, community),
              timezone,
            ),
          })
          .where(eq(tasksTable.id, task.id));
        out.reminders++;
        return;
      }
      const letter = await issueLetter(tx, {
        community,
        communityId: cid,
        kind: 'reminder',
        org: task.org,
        reason: `${name}承办的任务${LAPSE_NAMES[lapse]}，提示后仍未处理`,
        issueIds: [issue.id],
        now,
      });
      await appendSystemEvent(tx, issue, now, {
        action: 'letter_issued',
        note: `已向${ORG_NAMES[letter.org]}发出提示函 ${letter.number}`,
        data: { letterId: letter.id, number: letter.number, kind: 'reminder' },
      });
      await tx
        .update(tasksTable)
        .set({ overdueStage: 2, nextEscalationAt: null })
        .where(eq(tasksTable.id, task.id));
      out.letters++;
      await warnOnRepeat(tx, community, cid, task.org, now, out);
    });
  }
}

/** Repeated lapses: every Nth reminder letter to one organisation within the window brings a warning letter. */
async function warnOnRepeat(
  tx: Tx,
  community: Community,
  cid: string,
  org: typeof tasksTable.$inferSelect.org,
  now: Date,
  out: Counts,
) {
  const { warningAfterReminderLetters, warningWindowDays } = community.config.followUp;
  const since = dayjs(now).subtract(warningWindowDays, 'day').toDate();
  const recent = await tx
    .select({ issueIds: lettersTable.issueIds })
    .from(lettersTable)
    .where(
      and(
        eq(lettersTable.communityId, cid),
        eq(lettersTable.org, org),
        eq(lettersTable.kind, 'reminder'),
        gte(lettersTable.createdAt, since),
      ),
    )
    .orderBy(asc(lettersTable.createdAt));
  if (!warningLetterDue(recent.length, warningAfterReminderLetters)) return;
  await issueLetter(tx, {
    community,
    communityId: cid,
    kind: 'warning',
    org,
    reason: `${warningWindowDays} 天内已收到 ${recent.length} 份提示函，问题屡经提示仍未及时处置`,
    issueIds: [...new Set(recent.slice(-warningAfterReminderLetters).flatMap((r) => r.issueIds))],
    now,
  });
  out.warnings++;
}

/** A missed emergency report-back is a serious lapse: recorded, the leaders told, a warning letter sent. */
async function lapseReportBacks(ctx: FollowUpContext, community: Community, cid: string, out: Counts) {
  const now = ctx.now();
  const due = await ctx.db
    .selectDistinct({ issueId: reportBacksTable.issueId })
    .from(reportBacksTable)
    .innerJoin(issuesTable, eq(issuesTable.id, reportBacksTable.issueId))
    .where(
      and(
        eq(issuesTable.communityId, cid),
        isNull(reportBacksTable.doneAt),
        isNull(reportBacksTable.lapsedAt),
        lte(reportBacksTable.dueAt, now),
        issueNotArchived,
      ),
    )
    .limit(BATCH);
  for (const { issueId } of due) {
    await ctx.db.transaction(async (tx) => {
      const issue = await lockIssue(tx, issueId);
      if (!issue) return;
      const missed = await tx
        .update(reportBacksTable)
        .set({ lapsedAt: now })
        .where(
          and(
            eq(reportBacksTable.issueId, issueId),
            isNull(reportBacksTable.doneAt),
            isNull(reportBacksTable.lapsedAt),
            lte(reportBacksTable.dueAt, now),
          ),
        )
        .returning();
      if (missed.length === 0) return;
      await tx.insert(lapsesTable).values(
        missed.map((m) => ({
          communityId: cid,
          org: 'property' as const,
          kind: 'report_back_missed' as const,
          issueId,
          person: m.toPerson,
          createdAt: now,
        })),
      );
      const names = missed.map((m) => community.people.get(m.toPerson)?.name ?? m.toPerson).join('、');
      await appendSystemEvent(
        tx,
        issue,
        now,
        {
          action: 'report_back_missed',
          note: `物业公司未在时限内向${names}报备应急处置情况，记为失职`,
          data: { to: missed.map((m) => m.toPerson) },
        },
        {
          to: { communityId: cid, persons: missed.map((m) => m.toPerson) },
          message: { kind: 'report_back_missed', issue: issueFacts(community, issue) },
        },
      );
      await issueLetter(tx, {
        community,
        communityId: cid,
        kind: 'warning',
        org: 'property',
        reason: `应急事项发生后，未在规定时限内向${names}报备处置情况`,
        issueIds: [issueId],
        now,
      });
      out.lapsedReportBacks += missed.length;
      out.warnings++;
    });
  }
}

/**
 * Resolved, unverified for `autoCloseDays`: closed by the system, the reporter and handlers told.
 * Not an issue whose category needs on-site verification (casePolicyRefusal refuses it too).
 */
async function autoClose(ctx: FollowUpContext, community: Community, cid: string, out: Counts) {
  const now = ctx.now();
  const before = dayjs(now).subtract(community.config.followUp.autoCloseDays, 'day').toDate();
  const inspected = community.config.caseHandling.verification.categories;
  const due = await ctx.db
    .select({ id: issuesTable.id })
    .from(issuesTable)
    .where(
      and(
        eq(issuesTable.communityId, cid),
        eq(issuesTable.status, 'resolved'),
        lte(issuesTable.resolvedAt, before),
        issueNotArchived,
        // Categories checked on site (核查) wait for their verifier: never closed by the clock.
        ...(inspected.length ? [notInArray(issuesTable.category, inspected)] : []),
      ),
    )
    .limit(BATCH);
  for (const { id } of due) {
    await ctx.db.transaction(async (tx) => {
      const issue = await lockIssue(tx, id);
      if (issue?.status !== 'resolved' || !issue.resolvedAt || issue.resolvedAt > before) return;
      const { eventId } = await writeIssue(
        ctx,
        tx,
        { issue, community, ...SYSTEM_ACTOR },
        {
          action: 'auto_close',
          eventNote: `办结后 ${community.config.followUp.autoCloseDays} 天内无人提出异议，自动关闭`,
        },
      );
      const handlers = await tx
        .select({ assignee: tasksTable.assignee })
        .from(tasksTable)
        .where(and(eq(tasksTable.issueId, id), eq(tasksTable.status, 'done')));
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        {
          communityId: cid,
          persons: [issue.owner, ...handlers.map((h) => h.assignee)],
          accountIds: [issue.reporterAccountId],
        },
        { kind: 'issue_closed', issue: issueFacts(community, issue), auto: true },
        { issueId: id },
      );
      out.autoClosed++;
    });
  }
}
