import {
  type Community,
  NotFound,
  ZONE_MEETING_STATUS_NAMES,
  type ZoneMeeting,
  type ZoneMeetingView,
  type ZoneOutcome,
  zoneMeetingActions,
} from '@gongzhi/domain';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import {
  communitiesTable,
  issuesTable,
  type ZoneMeetingRow,
  zoneMeetingIssuesTable,
  zoneMeetingsTable,
} from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { readsZone, viewerIn } from './access';

type AgendaRow = typeof zoneMeetingIssuesTable.$inferSelect & { code: string };

export interface LoadedZoneMeeting {
  row: ZoneMeetingRow;
  community: Community;
  agenda: AgendaRow[];
  meeting: ZoneMeeting;
}

function outcomeOf(a: AgendaRow): ZoneOutcome | null {
  if (a.outcome === 'resolve_in_zone') return { kind: 'resolve_in_zone', plan: a.text ?? '' };
  if (a.outcome === 'escalate') {
    return a.proposal === null
      ? { kind: 'escalate', resolution: a.text ?? '' }
      : { kind: 'escalate', resolution: a.text ?? '', proposal: a.proposal };
  }
  return null;
}

/** The domain's ZoneMeeting from its rows. */
export function assembleZoneMeeting(row: ZoneMeetingRow, agenda: readonly AgendaRow[]): ZoneMeeting {
  return {
    id: row.id,
    zone: row.zone,
    convenedBy: row.convenedBy,
    at: row.at.toISOString(),
    place: row.place,
    agenda: agenda.map((a) =>
      a.title === null ? { issue: a.issueId } : { issue: a.issueId, title: a.title },
    ),
    invitees: row.invitees,
    status: row.status,
    attendees: row.attendees,
    residentViews: row.residentViews,
    minutes: row.minutes,
    outcomes:
      row.status === 'minutes_recorded'
        ? agenda.flatMap((a) => {
            const outcome = outcomeOf(a);
            return outcome ? [{ issue: a.issueId, outcome }] : [];
          })
        : [],
    minutesRecordedAt: row.minutesRecordedAt?.toISOString() ?? null,
  };
}

async function agendaOf(db: Db | Tx, meetingId: string): Promise<AgendaRow[]> {
  const rows = await db
    .select({ a: zoneMeetingIssuesTable, code: issuesTable.code })
    .from(zoneMeetingIssuesTable)
    .innerJoin(issuesTable, eq(issuesTable.id, zoneMeetingIssuesTable.issueId))
    .where(eq(zoneMeetingIssuesTable.meetingId, meetingId))
    .orderBy(asc(zoneMeetingIssuesTable.position));
  return rows.map((r) => ({ ...r.a, code: r.code }));
}

/**
 * A zone meeting the caller may read (its zone's people, secretary, leadership, administrators),
 * else 404 so a meeting of another zone looks like none. `lock` takes the row for update.
 */
export async function loadZoneMeeting(
  ctx: ServiceContext,
  db: Db | Tx,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<LoadedZoneMeeting> {
  const principal = callerOf(ctx);
  const query = db
    .select({ row: zoneMeetingsTable, communityKey: communitiesTable.key })
    .from(zoneMeetingsTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, zoneMeetingsTable.communityId))
    .where(eq(zoneMeetingsTable.id, id));
  const [found] = await (opts.lock ? query.for('update', { of: zoneMeetingsTable }) : query);
  if (!found) throw NotFound('zone_meeting_not_found', '区域会议不存在或您无权查看');
  const community = getCommunity(ctx, found.communityKey);
  if (!readsZone(principal, community, found.row.zone)) {
    throw NotFound('zone_meeting_not_found', '区域会议不存在或您无权查看');
  }
  // Loading to change it: a meeting held in an archived quarter is read-only.
  if (opts.lock) await assertQuarterOpen(db, found.row.communityId, found.row.at);
  const agenda = await agendaOf(db, id);
  return { row: found.row, community, agenda, meeting: assembleZoneMeeting(found.row, agenda) };
}

/** The latest zone meeting that had the issue on its agenda (any state), if any. */
export async function latestZoneMeetingOf(db: Db | Tx, issueId: string) {
  const [found] = await db
    .select({ id: zoneMeetingsTable.id })
    .from(zoneMeetingIssuesTable)
    .innerJoin(zoneMeetingsTable, eq(zoneMeetingsTable.id, zoneMeetingIssuesTable.meetingId))
    .where(eq(zoneMeetingIssuesTable.issueId, issueId))
    // The latest minutes decide; a meeting still open only when none has minutes (its 409 says so).
    .orderBy(sql`${zoneMeetingsTable.minutesRecordedAt} desc nulls last`, desc(zoneMeetingsTable.createdAt))
    .limit(1);
  return found?.id ?? null;
}

const personName = (community: Community, key: string) => community.people.get(key)?.name ?? key;

/** A zone meeting as `viewer` (the caller's person key in the community, or null) sees it. */
export function toZoneMeetingView(
  loaded: LoadedZoneMeeting,
  viewer: string | null,
  now: Date,
): ZoneMeetingView {
  const { row, community, agenda, meeting } = loaded;
  return {
    ...meeting,
    community: community.key,
    zoneName: community.zones.get(row.zone)?.name ?? row.zone,
    statusName: ZONE_MEETING_STATUS_NAMES[row.status],
    convenedByName: personName(community, row.convenedBy),
    agenda: agenda.map((a) => ({
      issue: a.issueId,
      ...(a.title === null ? {} : { title: a.title }),
      code: a.code,
    })),
    outcomes: meeting.outcomes.map((o) => ({
      ...o,
      assignee: agenda.find((a) => a.issueId === o.issue)?.assignee ?? null,
    })),
    createdAt: row.createdAt.toISOString(),
    allowedActions: zoneMeetingActions(community.zones.get(row.zone), meeting, viewer, now),
  };
}

export async function getZoneMeeting(ctx: ServiceContext, id: string) {
  const loaded = await loadZoneMeeting(ctx, ctx.db, id);
  return toZoneMeetingView(loaded, viewerIn(ctx, loaded.community), ctx.now());
}
