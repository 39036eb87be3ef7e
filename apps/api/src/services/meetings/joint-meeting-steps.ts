import {
  approveJointMinutes,
  type Community,
  carryOverItem,
  deferJointItem,
  editJointMinutes,
  type JointMeeting,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
} from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import type { ServiceContext } from '../context';
import { meetingActor, principalOf } from './access';
import { enqueueAgendaItem } from './agenda';
import { type LoadedJointMeeting, loadJointMeeting, saveJointMeeting } from './joint-meeting-store';

export type JointMeetingStep =
  | { step: 'attendance'; body: unknown }
  | { step: 'consultation'; no: number; body: unknown }
  | { step: 'vote'; no: number; body: unknown }
  | { step: 'defer'; no: number; body: unknown }
  | { step: 'minutes'; body: unknown }
  | { step: 'approve' };

function apply(community: Community, meeting: JointMeeting, actor: string, s: JointMeetingStep, now: Date) {
  switch (s.step) {
    case 'attendance':
      return recordJointAttendance(community, meeting, actor, s.body);
    case 'consultation':
      return recordConsultation(community, meeting, actor, s.no, s.body);
    case 'vote':
      return recordJointVote(community, meeting, actor, s.no, s.body, community.config.meetings);
    case 'defer':
      return deferJointItem(community, meeting, actor, s.no, s.body);
    case 'minutes':
      return editJointMinutes(community, meeting, actor, s.body);
    case 'approve':
      return approveJointMinutes(community, meeting, actor, now);
  }
}

/**
 * One step of a joint meeting, as the domain rules it (who may, in which state, with what input;
 * nothing changes once the minutes are locked): the meeting row is locked, the step applied, the
 * change saved. A deferred item is carried over to the next meeting (or waits for one).
 */
export async function stepJointMeeting(ctx: ServiceContext, id: string, s: JointMeetingStep) {
  const principal = principalOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const loaded = await loadJointMeeting(ctx, tx, id, { lock: true });
    const next = apply(loaded.community, loaded.meeting, meetingActor(principal, loaded.community), s, now);
    await saveJointMeeting(tx, loaded, next, now);
    if (s.step === 'defer') await carryOver(ctx, tx, loaded, next, s.no);
  });
}

async function carryOver(
  ctx: ServiceContext,
  tx: Tx,
  loaded: LoadedJointMeeting,
  next: JointMeeting,
  no: number,
) {
  const item = next.agenda.find((i) => i.no === no)!;
  const row = loaded.items.find((r) => r.no === no)!;
  // The deferred item stays on this meeting's record; its carry-over is a new, pending item.
  await enqueueAgendaItem(ctx, tx, {
    community: loaded.community,
    communityId: loaded.row.communityId,
    draft: carryOverItem(item),
    excludeMeetingId: loaded.row.id,
    zoneMeetingId: row.zoneMeetingId,
    reconsidersResolutionId: row.reconsidersResolutionId,
    carriedFromId: row.id,
    sourceKey: `defer:${row.id}`,
  });
}
