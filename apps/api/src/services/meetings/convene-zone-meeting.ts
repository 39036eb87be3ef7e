import { randomUUID } from 'node:crypto';
import { type ConveneZoneMeetingBody, conveneZoneMeeting as convene } from '@gongzhi/domain';
import { and, eq, inArray } from 'drizzle-orm';
import { issuesTable, zoneMeetingIssuesTable, zoneMeetingsTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { callerOf, getCommunity, type ServiceContext } from '../context';
import { recordIdempotentCommit } from '../idempotency';
import { notify } from '../notifications/notify';
import { localTime } from '../tasks/open-tasks';
import { meetingActor } from './access';
import { agendaTitle } from './issue-title';

/**
 * The zone leader convenes a zone meeting on open zone-tier issues of the zone (the domain checks
 * leader and agenda); the zone's other people get the notice in their inbox. Returns the meeting id.
 */
export async function conveneZoneMeeting(ctx: ServiceContext, body: ConveneZoneMeetingBody) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, body.community);
  const actor = meetingActor(principal, community);
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(issuesTable)
      .where(
        and(
          eq(issuesTable.communityId, cid),
          inArray(issuesTable.id, body.agenda),
          // A banned reporter's hidden complaint is not an agenda item: it does not exist for the zone.
          eq(issuesTable.hidden, false),
        ),
      )
      .for('update');
    const { community: _, ...raw } = body;
    const meeting = convene(
      community,
      actor,
      randomUUID(),
      raw,
      rows.map((r) => ({
        id: r.id,
        zone: r.zone,
        tier: r.tier,
        status: r.status,
        title: agendaTitle(community, r),
      })),
    );
    // Recording a meeting held in an archived quarter would change that quarter's record.
    await assertQuarterOpen(tx, cid, new Date(meeting.at));
    await tx.insert(zoneMeetingsTable).values({
      id: meeting.id,
      communityId: cid,
      zone: meeting.zone,
      status: meeting.status,
      at: new Date(meeting.at),
      place: meeting.place,
      convenedBy: meeting.convenedBy,
      invitees: meeting.invitees,
      attendees: [],
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(zoneMeetingIssuesTable).values(
      meeting.agenda.map((a, position) => ({
        meetingId: meeting.id,
        issueId: a.issue,
        position,
        title: a.title ?? null,
      })),
    );
    const zoneName = community.zones.get(meeting.zone)?.name ?? meeting.zone;
    await notify(
      tx,
      now,
      `zm:${meeting.id}`,
      { communityId: cid, persons: meeting.invitees, exceptAccountId: principal.accountId },
      {
        kind: 'zone_meeting_convened',
        zoneName,
        at: localTime(new Date(meeting.at), community.config.timezone),
        place: meeting.place,
        by: community.people.get(actor)?.name ?? actor,
        items: meeting.agenda.length,
      },
    );
    await recordIdempotentCommit(tx, ctx.idempotency, meeting.id);
    return meeting.id;
  });
}
