import { recordResolutionProgress } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { resolutionProgressTable, resolutionsTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { meetingActor } from './access';
import { recordOnIssue } from './record-on-issue';
import { loadResolution } from './resolution-store';

/**
 * The responsible person, the chair or the secretary records progress on a resolution (the domain
 * rules: 0–100, a drop only with a note, a known milestone). The update goes into each of its
 * issues' records; when the percentage changed, their reporters are told.
 */
export async function recordProgress(ctx: ServiceContext, id: string, body: unknown) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const { row, community, action } = await loadResolution(ctx, tx, id, { lock: true });
    const actor = meetingActor(principal, community);
    const update = recordResolutionProgress(community, action, actor, body, now);
    const entry = update.action.history.at(-1)!;
    await tx
      .update(resolutionsTable)
      .set({ progress: update.action.progress, done: update.action.done, updatedAt: now })
      .where(eq(resolutionsTable.id, id));
    await tx.insert(resolutionProgressTable).values({
      resolutionId: id,
      at: now,
      by: actor,
      byAccountId: principal.accountId,
      fromProgress: entry.from,
      toProgress: entry.to,
      note: entry.note,
      milestone: entry.milestone,
    });
    for (const issueId of row.issueIds) {
      const { issue, eventId } = await recordOnIssue(ctx, tx, issueId, {
        action: 'resolution_progress',
        actor,
        note: update.notice,
        data: { resolution: id, from: entry.from, to: entry.to, milestone: entry.milestone },
      });
      if (!update.changed) continue;
      await notify(
        tx,
        now,
        `ev:${eventId}`,
        {
          communityId: row.communityId,
          accountIds: [issue.reporterAccountId],
          exceptAccountId: principal.accountId,
        },
        { kind: 'resolution_progress', issue: issueFacts(community, issue), notice: update.notice },
        { issueId },
      );
    }
  });
}
