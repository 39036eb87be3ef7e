import { requestReconsideration } from '@gongzhi/domain';
import { callerOf, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { meetingActor } from './access';
import { enqueueAgendaItem, pendingDraftsFor } from './agenda';
import { loadJointMeeting, toPlacementView } from './joint-meeting-store';
import { recordOnIssue } from './record-on-issue';
import { loadResolution } from './resolution-store';

/**
 * A member of the meeting that made a resolution asks for re-deliberation (复议) with a reason: a
 * new item, linked to the old resolution, goes on the next meeting's agenda (or waits for one).
 * The old resolution is not touched. Its issues' records and the secretary and chair are told.
 */
export async function reconsiderResolution(ctx: ServiceContext, id: string, body: unknown) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // Locked, so two requests at once cannot both pass the "already waiting" check.
    const { row, community } = await loadResolution(ctx, tx, id, { lock: true });
    const made = await loadJointMeeting(ctx, tx, row.meetingId);
    const actor = meetingActor(principal, community);
    const draft = requestReconsideration(
      community,
      made.meeting,
      actor,
      row.itemNo,
      body,
      now,
      await pendingDraftsFor(tx, [id]),
    );
    const placed = await enqueueAgendaItem(ctx, tx, {
      community,
      communityId: row.communityId,
      draft,
      excludeMeetingId: row.meetingId,
      zoneMeetingId: made.items.find((i) => i.no === row.itemNo)?.zoneMeetingId ?? null,
      reconsidersResolutionId: id,
      sourceKey: `reconsider:${id}:${now.getTime()}`,
    });
    for (const issueId of row.issueIds) {
      await recordOnIssue(ctx, tx, issueId, {
        action: 'reconsideration',
        actor,
        note: draft.reconsiders!.reason,
        data: { resolution: id, item: placed.id, meeting: placed.meetingId },
      });
    }
    await notify(
      tx,
      now,
      `reconsider:${placed.id}`,
      { communityId: row.communityId, persons: [made.meeting.chair], exceptAccountId: principal.accountId },
      {
        kind: 'reconsideration_requested',
        title: draft.title,
        by: community.people.get(actor)?.name ?? actor,
        reason: draft.reconsiders!.reason,
      },
    );
    return toPlacementView(community, placed);
  });
}
