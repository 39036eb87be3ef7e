import {
  type Community,
  type ComplaintView,
  canRate,
  eventName,
  INTERNAL_EVENTS,
  STATUS_NAMES,
  TIER_NAMES,
  zoneNameOf,
} from '@gongzhi/domain';
import type { issueEventsTable, issueRatingsTable, issuesTable, photosTable } from '../../db/schema';
import { ACTOR_NAMES, toPhotoView, toRatingView } from '../issues/to-view';

/** The resident's view: no phone numbers, no internal data; names of who acted, in Chinese. */
export function toComplaintView(
  community: Community,
  row: typeof issuesTable.$inferSelect,
  work: {
    events: (typeof issueEventsTable.$inferSelect)[];
    photos: (typeof photosTable.$inferSelect)[];
    rating: typeof issueRatingsTable.$inferSelect | null;
  },
): ComplaintView {
  const { events, photos, rating } = work;
  const name = (k: string) => ACTOR_NAMES[k] ?? community.people.get(k)?.name ?? k;
  return {
    code: row.code,
    status: row.status,
    statusName: STATUS_NAMES[row.status],
    tier: row.tier,
    tierName: TIER_NAMES[row.tier],
    community: community.key,
    zoneName: zoneNameOf(community, row.zone),
    building: row.building,
    spot: row.spot,
    categoryName: community.categories.get(row.category)?.name ?? row.category,
    description: row.description,
    responsible: row.route.reasons.map((r) => r.text),
    createdAt: row.createdAt.toISOString(),
    canVerify: row.status === 'resolved',
    canRate: canRate(row.status, ['reporter'], rating !== null),
    rating: rating && toRatingView(rating),
    // Read with the tracking secret: the resident has no staff login.
    photos: photos.map((p) => toPhotoView(p, row.code)),
    timeline: events
      .filter((e) => !INTERNAL_EVENTS.includes(e.action))
      .map((e) => ({
        action: e.action,
        actionName: e.action === 'submit' ? '提交投诉' : eventName(e.action),
        toStatus: e.toStatus as ComplaintView['status'],
        statusName: STATUS_NAMES[e.toStatus as ComplaintView['status']] ?? e.toStatus,
        actorName: name(e.actor),
        // The routing note repeats `responsible`; other notes (a fix, a return reason) matter to the resident.
        note: e.action === 'dispatch' || e.action === 'refer' ? null : e.note,
        at: e.createdAt.toISOString(),
      })),
  };
}
