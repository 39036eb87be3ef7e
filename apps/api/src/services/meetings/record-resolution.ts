import {
  type Community,
  DomainError,
  propertyStaffOf,
  type RouteTask,
  recordResolution,
  type TrackedAction,
  taskRoleFor,
  trackResolution,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issuesTable, resolutionsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { transitionIssueIn } from '../issues/transition-issue';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { meetingActor } from './access';
import { fundWorkMayStart } from './fund-use-state';
import { loadJointMeeting, saveJointMeeting } from './joint-meeting-store';

type IssueRow = typeof issuesTable.$inferSelect;

/**
 * Who does the work a resolution dispatches: its responsible person when they can take a task on
 * the issue (property staff, a line leader, the zone leader); otherwise — a resolution made the
 * Party branch or the residents' committee answerable — the zone's property staff, as routing would.
 */
function decisionTasks(community: Community, issue: IssueRow, person: string): RouteTask[] {
  try {
    return [{ assignee: person, role: taskRoleFor(community, issue, person) }];
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  const zone = community.zones.get(issue.zone);
  if (!zone) return [];
  const staff = propertyStaffOf(zone);
  return staff.length > 0
    ? staff.map((assignee) => ({ assignee, role: 'property_specialist' as const }))
    : [{ assignee: zone.leader.person, role: 'zone_leader' as const }];
}

/**
 * The secretary or chair records the resolution of a passed item; it becomes a tracked action and
 * its issues move on in the same transaction: `dispatch` fires decide_dispatch with the resolution as
 * the plan and opens tasks (for maintenance-fund work only once the fund's procedure is complete;
 * until then the issue waits, dispatched, for its owner to dispatch); `close` fires decide_close with
 * the resolution as the explanation. Issues no longer waiting for the meeting (a re-deliberation)
 * get the new resolution in their record. Reporters and the responsible person are told. A
 * re-deliberation's resolution supersedes the old one, which stays on record.
 */
export async function recordJointResolution(
  ctx: ServiceContext,
  meetingId: string,
  no: number,
  body: unknown,
) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const loaded = await loadJointMeeting(ctx, tx, meetingId, { lock: true });
    const { community } = loaded;
    const actor = meetingActor(principal, community);
    const next = recordResolution(community, loaded.meeting, actor, no, body);
    await saveJointMeeting(tx, loaded, next, now);
    const action = trackResolution(next, no);
    const item = loaded.items.find((r) => r.no === no)!;
    const [resolution] = await tx
      .insert(resolutionsTable)
      .values({
        communityId: loaded.row.communityId,
        meetingId,
        itemId: item.id,
        itemNo: no,
        chair: action.chair,
        issueIds: action.issues,
        text: action.text,
        responsibleOrg: action.responsibleOrg,
        responsiblePerson: action.responsiblePerson,
        dueDate: action.dueDate,
        disposition: action.disposition,
        milestones: action.milestones,
        progress: 0,
        done: false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const resolutionId = resolution!.id;
    if (item.reconsidersResolutionId) {
      await tx
        .update(resolutionsTable)
        .set({ supersededById: resolutionId, updatedAt: now })
        .where(eq(resolutionsTable.id, item.reconsidersResolutionId));
    }
    await notify(
      tx,
      now,
      `res:${resolutionId}`,
      {
        communityId: loaded.row.communityId,
        persons: [action.responsiblePerson],
        exceptAccountId: principal.accountId,
      },
      { kind: 'resolution_assigned', text: action.text, dueDate: action.dueDate },
    );
    for (const issueId of action.issues) {
      await moveIssueOn(
        ctx,
        tx,
        community,
        issueId,
        action,
        { meeting: meetingId, item: no, resolution: resolutionId },
        actor,
      );
    }
    return resolutionId;
  });
}

async function moveIssueOn(
  ctx: ServiceContext,
  tx: Tx,
  community: Community,
  issueId: string,
  action: TrackedAction,
  data: Record<string, unknown>,
  actor: string,
) {
  const now = ctx.now();
  const [issue] = await tx.select().from(issuesTable).where(eq(issuesTable.id, issueId)).for('update');
  if (!issue) return;
  const tellReporter = async (eventId: number, closed: boolean) =>
    notify(
      tx,
      now,
      `ev:${eventId}:reporter`,
      {
        communityId: issue.communityId,
        accountIds: [issue.reporterAccountId],
        exceptAccountId: ctx.principal?.accountId,
      },
      { kind: 'joint_resolution', issue: issueFacts(community, issue), text: action.text, closed },
      { issueId },
    );

  if (issue.status !== 'escalated') {
    // A new resolution on a re-deliberation: in the record, no transition; it counts as handling (KPI).
    const { eventId } = await writeIssue(
      ctx,
      tx,
      {
        issue,
        community,
        relations: ['joint_meeting'],
        actorAccountId: ctx.principal?.accountId ?? null,
        actor,
      },
      { action: 'joint_resolution', stays: true, eventNote: action.text, data },
    );
    await tellReporter(eventId, false);
    return;
  }
  const ref = { id: issueId, byJointMeeting: true as const };
  if (action.disposition === 'close') {
    await transitionIssueIn(ctx, tx, ref, {
      action: 'decide_close',
      note: action.text,
      data,
      after: ({ eventId }) => tellReporter(eventId, true),
    });
    return;
  }
  const fund = await fundWorkMayStart(tx, issue, community, now);
  const tasks = fund.ok ? decisionTasks(community, issue, action.responsiblePerson) : [];
  await transitionIssueIn(ctx, tx, ref, {
    action: 'decide_dispatch',
    note: action.text,
    data: { ...data, to: tasks.map((t) => t.assignee), ...(fund.ok ? {} : { fundUseMissing: fund.missing }) },
    dispatch: async () => ({ tasks, note: action.text }),
    after: ({ eventId }) => tellReporter(eventId, false),
  });
}
