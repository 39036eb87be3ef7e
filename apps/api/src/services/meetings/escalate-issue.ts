import {
  applyTransition,
  assertCanEscalate,
  type EscalateIssueBody,
  escalationAgendaItem,
  relationsTo,
  type ZoneMeeting,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { accessFacts } from '../issues/to-view';
import { transitionIssueIn } from '../issues/transition-issue';
import { enqueueAgendaItem } from './agenda';
import { agendaTitle } from './issue-title';
import { latestZoneMeetingOf, loadZoneMeeting } from './zone-meeting-store';

/**
 * The zone leader escalates a zone-tier issue to the joint meeting (seed 000: 区域内不能够解决的，
 * 形成会议决议和方案后，报“社区联席”会议). Only with the escalation resolution of a zone meeting of
 * its zone whose minutes are recorded — the one named, or the latest that decided on the issue —
 * else 409 zone_resolution_required saying what is missing. The issue moves to the joint-meeting
 * tier, its zone tasks end, and it goes on the next joint meeting's agenda with its zone resolution.
 */
export async function escalateIssue(ctx: ServiceContext, id: string, body: EscalateIssueBody) {
  await ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, id, { lock: true });
    const { issue, community } = found;
    // State, permission and tier first (409 / 403 / 409), as for any transition; then the resolution.
    applyTransition(issue.status, 'escalate', relationsTo(found.actor, accessFacts(issue)), {
      tier: issue.tier,
      hasZoneResolution: true,
    });
    const meetingId = body.zoneMeeting ?? (await latestZoneMeetingOf(tx, issue.id));
    let zoneMeeting: ZoneMeeting | null = null;
    if (meetingId) {
      const loaded = await loadZoneMeeting(ctx, tx, meetingId);
      if (loaded.community.key === community.key) zoneMeeting = loaded.meeting;
    }
    const { zoneResolution, context } = assertCanEscalate(issue, zoneMeeting);
    await transitionIssueIn(ctx, tx, id, {
      action: 'escalate',
      ...context,
      data: { zoneMeeting: zoneResolution.meeting, proposal: zoneResolution.proposal },
      after: async ({ tx, issue, eventId }) => {
        await tx.update(issuesTable).set({ tier: 'joint_meeting' }).where(eq(issuesTable.id, issue.id));
        await enqueueAgendaItem(ctx, tx, {
          community,
          communityId: issue.communityId,
          draft: escalationAgendaItem(zoneResolution, agendaTitle(community, issue)),
          zoneMeetingId: zoneResolution.meeting,
          sourceKey: `ev:${eventId}`,
        });
      },
    });
  });
}
