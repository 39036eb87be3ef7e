import { recordZoneAttendance as record } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { zoneMeetingsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { meetingActor } from './access';
import { loadZoneMeeting } from './zone-meeting-store';

/** The zone leader records who attended (zone people only); the meeting is then held. */
export async function recordZoneAttendance(ctx: ServiceContext, id: string, body: unknown) {
  const principal = callerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const loaded = await loadZoneMeeting(ctx, tx, id, { lock: true });
    const now = ctx.now();
    const next = record(
      loaded.community,
      loaded.meeting,
      meetingActor(principal, loaded.community),
      body,
      now,
    );
    await tx
      .update(zoneMeetingsTable)
      .set({ status: next.status, attendees: next.attendees, updatedAt: now })
      .where(eq(zoneMeetingsTable.id, id));
  });
}
