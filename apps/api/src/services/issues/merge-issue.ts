import { canReadIssue, checkMerge, type MergeIssueInput, type MergeSide } from '@gongzhi/domain';
import { and, desc, eq } from 'drizzle-orm';
import { issueEventsTable, issuesTable } from '../../db/schema';
import { actorIn, callerOf, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { appendEvent } from './append-event';
import { getIssue } from './get-issue';
import { mergedIntoOf } from './merged-into';
import { accessFacts } from './to-view';
import { loadActingOn, transitionLoaded } from './transition-issue';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type IssueRow = typeof issuesTable.$inferSelect;

/**
 * Merge a duplicate into the surviving issue (docs/domain.md §6, 合并): the duplicate closes as
 * `merged` through the one write path, the survivor's record notes it, the duplicate's reporter is
 * told, and the duplicate's tracking page follows the survivor from then on.
 */
export async function mergeIssue(ctx: ServiceContext, id: string, input: MergeIssueInput) {
  const principal = callerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const target = await loadActingOn(ctx, tx, id);
    const dup = target.issue;
    const key = input.into.trim();
    const [into] = await tx
      .select()
      .from(issuesTable)
      .where(UUID.test(key) ? eq(issuesTable.id, key.toLowerCase()) : eq(issuesTable.code, key.toUpperCase()))
      .for('update');
    // An issue the caller may not read is as good as none.
    const readable =
      into && canReadIssue(actorIn(principal, target.community), accessFacts(into)) ? into : null;
    const side = async (row: IssueRow): Promise<MergeSide> => {
      const events = await tx
        .select({ action: issueEventsTable.action, data: issueEventsTable.data })
        .from(issueEventsTable)
        .where(and(eq(issueEventsTable.issueId, row.id), eq(issueEventsTable.action, 'merge')))
        .orderBy(desc(issueEventsTable.id));
      return {
        id: row.id,
        code: row.code,
        communityId: row.communityId,
        status: row.status,
        mergedInto: mergedIntoOf(events)?.id ?? null,
      };
    };
    const dupSide = await side(dup);
    const intoSide = readable && (await side(readable));
    await transitionLoaded(ctx, tx, target, {
      action: 'merge',
      mergeTarget: readable?.id ?? key,
      note: input.note ?? (readable ? `合并到 ${readable.code}` : undefined),
      data: readable ? { into: readable.id, intoCode: readable.code } : {},
      // After the lifecycle's own checks (state, who may merge): the survivor's.
      dispatch: async () => {
        checkMerge(dupSide, intoSide);
        return null;
      },
      after: async ({ issue, community, eventId }) => {
        await appendEvent(tx, {
          issueId: readable!.id,
          action: 'merged_in',
          fromStatus: readable!.status,
          toStatus: readable!.status,
          actorAccountId: principal.accountId,
          actor: target.actor,
          note: `重复问题 ${issue.code} 已合并至此${input.note ? `：${input.note}` : ''}`,
          data: { from: issue.id, fromCode: issue.code },
          at: ctx.now(),
        });
        await notify(
          tx,
          ctx.now(),
          `ev:${eventId}`,
          {
            communityId: issue.communityId,
            accountIds: [issue.reporterAccountId],
            exceptAccountId: principal.accountId,
          },
          { kind: 'issue_merged', issue: issueFacts(community, issue), intoCode: readable!.code },
          { issueId: issue.id },
        );
      },
    });
  });
  return getIssue(ctx, id);
}
