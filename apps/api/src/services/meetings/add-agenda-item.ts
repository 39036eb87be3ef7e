import {
  type AddAgendaItemBody,
  type ErrorDetail,
  Invalid,
  NotFound,
  STATUS_NAMES,
  secretaryAgendaItem,
} from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { communitiesTable, issuesTable, jointAgendaItemsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { assertReadsJointRecords, meetingActor } from './access';
import { enqueueAgendaItem } from './agenda';
import { toPlacementView } from './joint-meeting-store';
import { recordOnIssue } from './record-on-issue';

/**
 * The secretary puts an item on the joint meeting's agenda: a topic of its own, or issues waiting
 * for the joint meeting (escalated, or referred there by routing). It goes to the meeting named,
 * else to the next one, else waits for the next one to be scheduled.
 */
export async function addAgendaItem(ctx: ServiceContext, body: AddAgendaItemBody) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, body.community);
  const actor = meetingActor(principal, community);
  const draft = secretaryAgendaItem(community, actor, { title: body.title, issues: body.issues });
  const cid = await communityId(ctx.db, community.key);
  return ctx.db.transaction(async (tx) => {
    const rows = draft.issues.length
      ? await tx
          .select()
          .from(issuesTable)
          .where(and(eq(issuesTable.communityId, cid), inArray(issuesTable.id, draft.issues)))
          .for('update')
      : [];
    // Only issues the joint meeting decides on: decide_dispatch / decide_close start from `escalated`.
    const problems: ErrorDetail[] = draft.issues.flatMap((id, i) => {
      const issue = rows.find((r) => r.id === id);
      if (!issue || issue.hidden) return [{ path: `issues[${i}]`, message: `问题 ${id} 不存在` }];
      if (draft.issues.indexOf(id) !== i)
        return [{ path: `issues[${i}]`, message: `问题 ${issue.code} 重复` }];
      if (issue.status !== 'escalated') {
        return [
          {
            path: `issues[${i}]`,
            message: `问题 ${issue.code} 当前状态为“${STATUS_NAMES[issue.status]}”，不在联席会议待议范围内（须已上报或提交联席会议）`,
          },
        ];
      }
      return [];
    });
    if (problems.length > 0) {
      throw Invalid(
        'invalid_agenda_issues',
        `议题有误：${problems.map((p) => p.message).join('；')}`,
        problems,
      );
    }
    const row = await enqueueAgendaItem(ctx, tx, {
      community,
      communityId: cid,
      draft,
      meetingId: body.meeting,
      sourceKey: `agenda:${crypto.randomUUID()}`,
    });
    for (const issueId of draft.issues) {
      await recordOnIssue(ctx, tx, issueId, {
        action: 'joint_agenda',
        actor,
        note: draft.title,
        data: { item: row.id, meeting: row.meetingId, no: row.no },
      });
    }
    await recordIdempotentCommit(tx, ctx.idempotency, row.id);
    return toPlacementView(community, row);
  });
}

/** One agenda item as placed (the replay of a retried `addAgendaItem`). */
export async function getAgendaPlacement(ctx: ServiceContext, id: string) {
  const [found] = await ctx.db
    .select({ row: jointAgendaItemsTable, communityKey: communitiesTable.key })
    .from(jointAgendaItemsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, jointAgendaItemsTable.communityId))
    .where(eq(jointAgendaItemsTable.id, id));
  if (!found) throw NotFound('agenda_item_not_found', '议题不存在或您无权查看');
  const community = getCommunity(ctx, found.communityKey);
  assertReadsJointRecords(callerOf(ctx), community, '议题');
  return toPlacementView(community, found.row);
}
