import {
  ACTION_NAMES,
  type Community,
  type ComplaintView,
  type IssueAction,
  STATUS_NAMES,
  TIER_NAMES,
} from '@gongzhi/domain';
import type { issueEventsTable, issuesTable } from '../../db/schema';
import { ACTOR_NAMES } from '../issues/to-view';

const EXTRA_ACTION_NAMES: Record<string, string> = { submit: '提交投诉' };

/** The resident's view: no phone numbers, no internal data; names of who acted, in Chinese. */
export function toComplaintView(
  community: Community,
  row: typeof issuesTable.$inferSelect,
  events: (typeof issueEventsTable.$inferSelect)[],
): ComplaintView {
  const name = (k: string) => ACTOR_NAMES[k] ?? community.people.get(k)?.name ?? k;
  return {
    code: row.code,
    status: row.status,
    statusName: STATUS_NAMES[row.status],
    tier: row.tier,
    tierName: TIER_NAMES[row.tier],
    community: community.key,
    zoneName: community.zones.get(row.zone)?.name ?? row.zone,
    building: row.building,
    spot: row.spot,
    categoryName: community.categories.get(row.category)?.name ?? row.category,
    description: row.description,
    responsible: row.route.reasons.map((r) => r.text),
    createdAt: row.createdAt.toISOString(),
    timeline: events.map((e) => ({
      action: e.action,
      actionName: EXTRA_ACTION_NAMES[e.action] ?? ACTION_NAMES[e.action as IssueAction] ?? e.action,
      toStatus: e.toStatus as ComplaintView['status'],
      statusName: STATUS_NAMES[e.toStatus as ComplaintView['status']] ?? e.toStatus,
      actorName: name(e.actor),
      // The routing note repeats `responsible`; other notes (a fix, a return reason) matter to the resident.
      note: e.action === 'dispatch' || e.action === 'refer' ? null : e.note,
      at: e.createdAt.toISOString(),
    })),
  };
}
