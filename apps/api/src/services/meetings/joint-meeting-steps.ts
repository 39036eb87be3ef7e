import {
  approveJointMinutes,
  type Community,
  carryOverItem,
  deferJointItem,
  designateJointChair,
  editJointMinutes,
  type JointMeeting,
  recordConsultation,
  recordJointAttendance,
  recordJointVote,
} from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import { jointVotesTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { meetingActor } from './access';
import { enqueueAgendaItem } from './agenda';
import { type LoadedJointMeeting, loadJointMeeting, saveJointMeeting } from './joint-meeting-store';

export type JointMeetingStep =
  | { step: 'chair'; body: unknown }
  | { step: 'attendance'; body: unknown }
  | { step: 'consultation'; no: number; body: unknown }
  | { step: 'vote'; no: number; body: unknown }
  | { step: 'defer'; no: number; body: unknown }
  | { step: 'minutes'; body: unknown }
  | { step: 'approve' };

function apply(community: Community, meeting: JointMeeting, actor: string, s: JointMeetingStep, now: Date) {
  switch (s.step) {
    case 'chair':
      return designateJointChair(community, meeting, actor, s.body);
    case 'attendance':
      return recordJointAttendance(community, meeting, actor, s.body, now);
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
  const principal = callerOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const loaded = await loadJointMeeting(ctx, tx, id, { lock: true });
    const actor = meetingActor(principal, loaded.community);
    const next = apply(loaded.community, loaded.meeting, actor, s, now);
    if (s.step === 'vote') {
      // Versioned: every vote (a correction too) is appended before the item shows it.
      const vote = next.agenda.find((i) => i.no === s.no)!.vote!;
      await tx.insert(jointVotesTable).values({
        itemId: loaded.items.find((r) => r.no === s.no)!.id,
        meetingId: loaded.row.id,
        voteFor: vote.for,
        voteAgainst: vote.against,
        voteAbstain: vote.abstain,
        votePresent: vote.present,
        votePassed: vote.passed,
        voteText: vote.text,
        recordedBy: actor,
        recordedByAccountId: principal.accountId,
        at: now,
      });
    }
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
