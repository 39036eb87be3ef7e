import { type Community, type ParkingRequestInput, startOfLocalDay } from '@gongzhi/domain';
import { issueRequestsTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { writeIssue } from '../issues/write-issue';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { runCaseStep } from './case-step';

/** The people who decide a parking request: the zone's leader, or the joint meeting's chairs. */
export function parkingApproversOf(community: Community, zone: string | null): (string | undefined)[] {
  const { approval } = community.config.caseHandling.parking;
  if (approval === 'zone_leader') {
    return [community.config.zones.find((z) => z.key === zone)?.leader.person];
  }
  if (approval === 'joint_meeting') {
    return [community.config.secretary, community.config.leadershipGroup.leader];
  }
  return [];
}

/**
 * 挂账申请: where the config asks for approval (`caseHandling.parking.approval`), the configured
 * party asks to park a working issue with a reason and a review date; the approver (the zone
 * leader, or the secretary / leadership group for the joint meeting) is told and decides
 * (decide-parking.ts). The issue keeps its state meanwhile. Returns the issue id.
 */
export async function requestParking(ctx: ServiceContext, id: string, input: ParkingRequestInput) {
  return runCaseStep(
    ctx,
    id,
    'request_parking',
    (c) => ({ reason: input.reason, reviewAt: startOfLocalDay(input.reviewDate, c.config.timezone) }),
    async ({ tx, target, community, person, now }) => {
      const { issue } = target;
      const reviewAt = startOfLocalDay(input.reviewDate, community.config.timezone);
      await tx.insert(issueRequestsTable).values({
        issueId: issue.id,
        kind: 'parking',
        status: 'pending',
        taskId: null,
        requestedBy: person ?? target.actor,
        reason: input.reason,
        newDueAt: reviewAt,
        createdAt: now,
      });
      const { eventId } = await writeIssue(ctx, tx, target, {
        action: 'request_parking',
        stays: true,
        eventNote: input.reason,
        data: { reviewDate: input.reviewDate },
      });
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        {
          communityId: issue.communityId,
          persons: parkingApproversOf(community, issue.zone),
          exceptAccountId: target.actorAccountId,
        },
        {
          kind: 'parking_requested',
          issue: issueFacts(community, issue),
          by: community.people.get(person ?? '')?.name ?? target.actor,
          reason: input.reason,
          reviewDate: input.reviewDate,
        },
        { issueId: issue.id },
      );
    },
  );
}
