import { z } from 'zod';
import { zoneForBuilding } from '../community/lookup';
import type { Community } from '../community/validate';
import { Conflict, Forbidden, Invalid } from '../errors';
import type { Actor } from '../issues/access';
import { allowedActions, type IssueAction, type IssueRelation } from '../issues/lifecycle';
import type { IssueStatus, Tier } from '../issues/schema';
import { IssueSummary } from '../issues/views';
import { line } from '../text';
import type { RouteDecision } from './decide-route';

/**
 * The triage desk (兜底, docs/domain.md §5): a complaint routing cannot place is accepted all the
 * same and waits for the configured owner (the secretary or the residents' committee desk) to place
 * it by hand; it is never refused back to the resident.
 */
export const TRIAGE_REASONS = ['unknown_building', 'unknown_place', 'unowned_category'] as const;
export const TriageReason = z.enum(TRIAGE_REASONS);
export type TriageReason = z.infer<typeof TriageReason>;

export const TRIAGE_REASON_NAMES: Record<TriageReason, string> = {
  unknown_building: '楼号不在任何责任区域内',
  unknown_place: '居民不确定所在楼栋或区域',
  unowned_category: '该类别没有负责的条线或区域',
};

/**
 * The zone of an issue whose place is not known yet. Not a valid config key (keys start with a
 * letter or digit), so no community can have a zone of that name.
 */
export const UNPLACED_ZONE = '_unplaced';
export const UNPLACED_ZONE_NAME = '待确定区域';

/** A zone's name for display; the unplaced zone has a name of its own. */
export function zoneNameOf(community: Community, key: string): string {
  if (key === UNPLACED_ZONE) return UNPLACED_ZONE_NAME;
  return community.zones.get(key)?.name ?? key;
}

/** Who keeps the triage desk: the configured owner, else the secretary; null when neither is set. */
export const triageOwnerOf = (community: Community): string | null =>
  community.config.intake.triageOwner ?? community.config.secretary ?? null;

/** What a resident said about where and what: from a QR code, or chosen on the home page. */
export interface IntakePlace {
  /** The zone a QR code or the resident's choice named. */
  zone?: string | undefined;
  building?: number | undefined;
  category: string;
}

export type IntakeDecision =
  | { placed: true; zone: string; building: number | null }
  | { placed: false; zone: string; building: number | null; reasons: TriageReason[] };

/**
 * Can routing place this complaint? A building outside every zone, no place at all, or a category
 * no one owns (config `triage: true`) go to the triage desk. A building and a zone that disagree
 * are ambiguous: the building is kept, the zone is left for the desk. A zone the community does not
 * have is a malformed request (400), not a resident's doubt.
 */
export function decideIntake(community: Community, place: IntakePlace, pathPrefix = ''): IntakeDecision {
  const reasons: TriageReason[] = [];
  let zone: string | undefined;
  if (place.zone !== undefined && !community.zones.has(place.zone)) {
    throw Invalid('unknown_zone', `区域 "${place.zone}" 不存在`, [
      { path: `${pathPrefix}zone`, message: `可选区域：${[...community.zones.keys()].join('、')}` },
    ]);
  }
  if (place.building !== undefined) {
    const byBuilding = zoneForBuilding(community, place.building);
    if (!byBuilding) reasons.push('unknown_building');
    else if (place.zone !== undefined && place.zone !== byBuilding.key) reasons.push('unknown_place');
    else zone = byBuilding.key;
  } else if (place.zone !== undefined) zone = place.zone;
  else reasons.push('unknown_place');
  if (community.categories.get(place.category)?.triage) reasons.push('unowned_category');
  const building = place.building ?? null;
  if (reasons.length === 0) return { placed: true, zone: zone!, building };
  return { placed: false, zone: zone ?? UNPLACED_ZONE, building, reasons };
}

/** The route of a complaint waiting on the triage desk: its owner holds it, nobody has a task yet. */
export function triageRoute(
  community: Community,
  zone: string,
  reasons: readonly TriageReason[],
): RouteDecision {
  const owner = triageOwnerOf(community);
  const who = owner ? (community.people.get(owner)?.name ?? owner) : '社区管理员';
  return {
    tier: 'triage',
    zone,
    line: null,
    owner,
    tasks: [],
    procedures: [],
    reasons: [
      {
        rule: 'triage',
        text: `暂无法自动分派（${reasons.map((r) => TRIAGE_REASON_NAMES[r]).join('；')}），已受理并转${who}兜底分拨，确定责任区域后按规则派单。`,
      },
    ],
  };
}

/** Whether the caller keeps the triage desk of a community: its owner, or an administrator. */
export const keepsTriageDesk = (actor: Actor, community: Community) =>
  actor.admin || (actor.roles !== null && actor.roles.person === triageOwnerOf(community));

/** The lifecycle step name of placing by hand (recorded on the issue's timeline). */
export const PLACE_ACTION = 'place';
export const PLACE_ACTION_NAME = '兜底分拨';

/**
 * May this issue be placed by this caller? Refuses, in this order: an issue not waiting on the
 * triage desk (409, with what may be done to it instead), a caller who does not keep the desk (403).
 */
export function checkPlace(
  issue: { status: IssueStatus; tier: Tier },
  relations: readonly IssueRelation[],
  keepsDesk: boolean,
): void {
  if (issue.tier !== 'triage' || issue.status !== 'submitted') {
    const allowed: IssueAction[] = allowedActions(issue.status, relations);
    throw Conflict('not_in_triage', '该问题不在兜底分拨队列中，无需分拨', [
      { path: 'action', message: `state=${issue.status}`, state: issue.status, allowed },
    ]);
  }
  if (!keepsDesk) throw Forbidden('not_triage_owner', '只有兜底分拨负责人可以分拨此问题');
}

/** POST /api/issues/:id/place: where the issue is (a building, or a zone) and, if needed, what. */
export const PlaceIssueInput = z
  .strictObject({
    building: z.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
    zone: line().min(1).max(50).optional(),
    /** A better category than the resident's (required when theirs is one no one owns). */
    category: line().min(1).max(50).optional(),
    note: line().trim().max(500, '说明最多 500 字').optional(),
  })
  .refine((v) => v.building !== undefined || v.zone !== undefined, {
    message: '请选择楼号或区域',
    path: ['zone'],
  });
export type PlaceIssueInput = z.infer<typeof PlaceIssueInput>;

/** GET /api/triage */
export const TriageQuery = z.strictObject({ community: z.string().min(1, '请指定小区') });
export type TriageQuery = z.infer<typeof TriageQuery>;

export const TriageItem = z.object({
  issue: IssueSummary,
  /** Why routing could not place it, in Chinese. */
  reasons: z.array(z.string()),
});
export type TriageItem = z.infer<typeof TriageItem>;

/** The triage desk: who keeps it, what waits on it (oldest first), and whether the caller may place. */
export const TriagePage = z.object({
  owner: z.object({ key: z.string(), name: z.string() }).nullable(),
  canPlace: z.boolean(),
  items: z.array(TriageItem),
});
export type TriagePage = z.infer<typeof TriagePage>;
