import {
  ACTIVE_TASK_STATUSES,
  DomainError,
  type ErrorDetail,
  Invalid,
  recordZoneMinutes as record,
  type ZoneMinutesBody,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { tasksTable, zoneMeetingIssuesTable, zoneMeetingsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { transitionIssueIn } from '../issues/transition-issue';
import { notify } from '../notifications/notify';
import { redispatchRequest } from '../tasks/issue-work';
import { issueFacts } from '../tasks/open-tasks';
import { meetingActor } from './access';
import { recordOnIssue } from './record-on-issue';
import { loadZoneMeeting } from './zone-meeting-store';

/** A refusal about one agenda issue, re-pointed at `outcomes[i]` so the client can mark the row. */
function atOutcome(e: unknown, i: number, code: string): unknown {
  if (!(e instanceof DomainError)) return e;
  const details: ErrorDetail[] = (e.details ?? [{ message: e.message }]).map((d) => ({
    ...d,
    path: `outcomes[${i}]${d.path ? `.${d.path}` : ''}`,
  }));
  return new DomainError(e.kind, e.code, `议题 ${code}：${e.message}`, details);
}

/**
 * The zone leader records the minutes, the residents' views and, for every agenda issue, a plan or
 * a resolution to escalate; the meeting closes. In the same transaction each issue's record gets
 * the decision: a plan with an `assignee` is dispatched through the owner's dispatch path (the plan
 * is the note) unless that person already holds a task on it; otherwise the plan is recorded and
 * told to those holding its tasks, who carry on under it; an escalation resolution is recorded,
 * ready for POST /api/issues/:id/escalate. Any refusal rolls all of it back.
 */
export async function recordZoneMinutes(ctx: ServiceContext, id: string, body: ZoneMinutesBody) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const loaded = await loadZoneMeeting(ctx, tx, id, { lock: true });
    const { community } = loaded;
    const actor = meetingActor(principal, community);
    const next = record(
      community,
      loaded.meeting,
      actor,
      {
        minutes: body.minutes,
        ...(body.residentViews === undefined ? {} : { residentViews: body.residentViews }),
        outcomes: body.outcomes.map(({ issue, outcome }) => ({ issue, outcome })),
      },
      now,
    );
    const misplaced = body.outcomes.flatMap((o, i) =>
      o.assignee !== undefined && o.outcome.kind !== 'resolve_in_zone'
        ? [{ path: `outcomes[${i}].assignee`, message: '只有“区域内解决”的方案才能指定派单人员' }]
        : [],
    );
    if (misplaced.length > 0) {
      throw Invalid(
        'assignee_without_plan',
        `处理意见有误：${misplaced.map((m) => m.message).join('；')}`,
        misplaced,
      );
    }

    await tx
      .update(zoneMeetingsTable)
      .set({
        status: next.status,
        minutes: next.minutes,
        residentViews: next.residentViews,
        minutesRecordedAt: now,
        updatedAt: now,
      })
      .where(eq(zoneMeetingsTable.id, id));

    for (const { issue: issueId, outcome } of next.outcomes) {
      const i = body.outcomes.findIndex((o) => o.issue === issueId);
      const assignee = body.outcomes[i]?.assignee ?? null;
      const agendaRow = loaded.agenda.find((a) => a.issueId === issueId)!;
      await tx
        .update(zoneMeetingIssuesTable)
        .set({
          outcome: outcome.kind,
          text: outcome.kind === 'resolve_in_zone' ? outcome.plan : outcome.resolution,
          proposal: outcome.kind === 'escalate' ? (outcome.proposal ?? null) : null,
          assignee,
        })
        .where(and(eq(zoneMeetingIssuesTable.meetingId, id), eq(zoneMeetingIssuesTable.issueId, issueId)));

      // A plan for someone already working on the issue needs no new task: they carry on under it.
      const inHand =
        assignee !== null &&
        (
          await tx
            .select({ id: tasksTable.id })
            .from(tasksTable)
            .where(
              and(
                eq(tasksTable.issueId, issueId),
                eq(tasksTable.assignee, assignee),
                inArray(tasksTable.status, [...ACTIVE_TASK_STATUSES]),
              ),
            )
        ).length > 0;
      if (outcome.kind === 'resolve_in_zone' && assignee && !inHand) {
        try {
          await transitionIssueIn(
            ctx,
            tx,
            issueId,
            redispatchRequest(ctx, { assignee, note: outcome.plan, data: { zoneMeeting: id } }),
          );
        } catch (e) {
          throw atOutcome(e, i, agendaRow.code);
        }
        continue;
      }
      const { issue, eventId } = await recordOnIssue(ctx, tx, issueId, {
        action: outcome.kind === 'resolve_in_zone' ? 'zone_plan' : 'zone_resolution',
        actor,
        note: outcome.kind === 'resolve_in_zone' ? outcome.plan : outcome.resolution,
        data:
          outcome.kind === 'escalate'
            ? { zoneMeeting: id, proposal: outcome.proposal ?? null }
            : { zoneMeeting: id },
      });
      if (outcome.kind === 'resolve_in_zone') {
        // The tasks in hand carry on under the plan: tell whoever holds them.
        await notify(
          tx,
          now,
          `ev:${eventId}`,
          { communityId: issue.communityId, persons: issue.assignees, exceptAccountId: principal.accountId },
          { kind: 'zone_plan', issue: issueFacts(community, issue), plan: outcome.plan },
          { issueId },
        );
      }
    }
  });
}
