import { randomUUID } from 'node:crypto';
import {
  JOINT_MEETING_KIND_NAMES,
  type ScheduleJointMeetingBody,
  scheduleJointMeeting as schedule,
} from '@gongzhi/domain';
import { jointMeetingsTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { notify } from '../notifications/notify';
import { localTime } from '../tasks/open-tasks';
import { meetingActor } from './access';
import { placeWaitingItems } from './agenda';

/**
 * The secretary schedules a joint meeting (regular or ad hoc; chaired by the Party secretary unless
 * a designee is named). A meeting still to come takes up every item waiting for the next meeting.
 * The invitees and the chair get the notice. Returns the meeting id.
 */
export async function scheduleJointMeeting(ctx: ServiceContext, body: ScheduleJointMeetingBody) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, body.community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { community: _, ...raw } = body;
    let meeting = schedule(community, meetingActor(principal, community), randomUUID(), raw);
    await assertQuarterOpen(tx, cid, new Date(meeting.at));
    await tx.insert(jointMeetingsTable).values({
      id: meeting.id,
      communityId: cid,
      kind: meeting.kind,
      status: meeting.status,
      at: new Date(meeting.at),
      place: meeting.place,
      scheduledBy: meeting.scheduledBy,
      chair: meeting.chair,
      chairDesignatedBy: meeting.chairDesignatedBy,
      invitees: meeting.invitees,
      present: [],
      guests: [],
      minutesStatus: meeting.minutes.status,
      createdAt: now,
      updatedAt: now,
    });
    // A meeting recorded after the fact (in the past) is not "the next meeting".
    if (new Date(meeting.at) >= now) meeting = await placeWaitingItems(tx, meeting, cid);
    const name = (k: string) => community.people.get(k)?.name ?? k;
    await notify(
      tx,
      now,
      `jm:${meeting.id}`,
      {
        communityId: cid,
        persons: [meeting.chair, ...meeting.invitees.map((m) => m.person)],
        exceptAccountId: principal.accountId,
      },
      {
        kind: 'joint_meeting_scheduled',
        meetingName: JOINT_MEETING_KIND_NAMES[meeting.kind],
        at: localTime(new Date(meeting.at), community.config.timezone),
        place: meeting.place,
        chair: name(meeting.chair),
        items: meeting.agenda.length,
      },
    );
    await recordIdempotentCommit(tx, ctx.idempotency, meeting.id);
    return meeting.id;
  });
}
