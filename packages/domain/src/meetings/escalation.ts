import { z } from 'zod';
import { Conflict, type DomainError } from '../errors';
import { TRANSITIONS, type TransitionContext } from '../issues/lifecycle';
import { type IssueStatus, STATUS_NAMES, TIER_NAMES, type Tier } from '../issues/schema';
import { ZONE_MEETING_STATUS_NAMES, type ZoneMeeting } from './zone-meeting';

/** What escalation needs to know of the issue. */
export interface EscalatingIssue {
  id: string;
  zone: string;
  tier: Tier;
  status: IssueStatus;
}

/** The zone resolution that goes up with the issue and onto the joint meeting's agenda. */
export const ZoneResolutionRef = z.object({
  meeting: z.string(),
  zone: z.string(),
  issue: z.string(),
  resolution: z.string(),
  proposal: z.string().nullable(),
});
export type ZoneResolutionRef = z.infer<typeof ZoneResolutionRef>;

export type EscalationCheck =
  | { ok: true; zoneResolution: ZoneResolutionRef; context: TransitionContext }
  | { ok: false; error: DomainError };

const ESCALATE_FROM: readonly IssueStatus[] = TRANSITIONS.find((t) => t.action === 'escalate')!.from;

/**
 * Whether a zone-tier issue may go up to the joint meeting (seed 000: 区域内不能够解决的，形成会议
 * 决议和方案后，报“社区联席”会议). It may only from the zone tier, from a state the lifecycle allows,
 * and only with the escalation resolution of a zone meeting of ITS zone whose minutes are recorded
 * (409 zone_resolution_required otherwise). On success, the context for
 * `applyTransition(status, 'escalate', relations, context)` and the resolution to carry.
 * Permission (only the zone's owner escalates) stays with applyTransition.
 */
export function canEscalate(
  issue: EscalatingIssue,
  zoneMeeting: ZoneMeeting | null | undefined,
): EscalationCheck {
  const fail = (error: DomainError): EscalationCheck => ({ ok: false, error });
  if (issue.tier !== 'zone') {
    return fail(
      Conflict(
        'not_zone_tier',
        `该问题由${TIER_NAMES[issue.tier]}处理，只有责任区域层级的问题才能由区域上报联席会议`,
      ),
    );
  }
  if (!ESCALATE_FROM.includes(issue.status)) {
    return fail(
      Conflict('invalid_transition', `问题当前状态为“${STATUS_NAMES[issue.status]}”，不能上报联席会议`, [
        { path: 'status', message: `state=${issue.status}`, state: issue.status },
      ]),
    );
  }
  const required = (why: string) =>
    fail(Conflict('zone_resolution_required', `上报联席会议前须先召开区域会议并形成上报决议：${why}`));
  if (!zoneMeeting) return required('尚未关联区域会议');
  if (zoneMeeting.zone !== issue.zone) return required('所附区域会议不是本问题所在区域的会议');
  if (zoneMeeting.status !== 'minutes_recorded') {
    return required(`所附区域会议${ZONE_MEETING_STATUS_NAMES[zoneMeeting.status]}，尚未形成会议纪要`);
  }
  const outcome = zoneMeeting.outcomes.find((o) => o.issue === issue.id)?.outcome;
  if (!outcome) return required('所附区域会议未讨论该问题');
  if (outcome.kind !== 'escalate') return required('区域会议决定在区域内解决该问题，未决议上报');
  return {
    ok: true,
    zoneResolution: {
      meeting: zoneMeeting.id,
      zone: zoneMeeting.zone,
      issue: issue.id,
      resolution: outcome.resolution,
      proposal: outcome.proposal ?? null,
    },
    context: { tier: 'zone', hasZoneResolution: true, note: outcome.resolution },
  };
}

/** canEscalate for services: the zone resolution and transition context, or the 409. */
export function assertCanEscalate(issue: EscalatingIssue, zoneMeeting: ZoneMeeting | null | undefined) {
  const check = canEscalate(issue, zoneMeeting);
  if (!check.ok) throw check.error;
  return check;
}
