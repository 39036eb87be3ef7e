import { Forbidden } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { accountsTable, bansTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { notify } from '../notifications/notify';
import { issueFacts } from '../tasks/open-tasks';
import { getIssue } from './get-issue';
import { transitionIssue } from './transition-issue';

export const RejectIssueInput = z.strictObject({
  reason: z.string().trim().min(2, '请填写驳回原因').max(500),
  /** Abuse (恶意投诉) rather than merely invalid. */
  abuse: z.boolean().default(false),
  /** Also put the reporter's openid and phone on the ban list (administrators only). */
  banReporter: z.boolean().default(false),
});
export type RejectIssueInput = z.infer<typeof RejectIssueInput>;

/** Owner or admin rejects an issue as invalid or abusive, optionally banning its reporter. */
export async function rejectIssue(ctx: ServiceContext, id: string, input: RejectIssueInput) {
  await transitionIssue(ctx, id, {
    action: 'reject',
    reason: input.reason,
    data: { abuse: input.abuse, banReporter: input.banReporter },
    after: async ({ tx, issue, relations, community, eventId }) => {
      // The reporter hears why (unless the complaint was abuse: no feedback to abusers).
      if (!input.abuse) {
        await notify(
          tx,
          ctx.now(),
          `ev:${eventId}`,
          {
            communityId: issue.communityId,
            accountIds: [issue.reporterAccountId],
            exceptAccountId: ctx.principal?.accountId,
          },
          { kind: 'issue_rejected', issue: issueFacts(community, issue), reason: input.reason },
          { issueId: issue.id },
        );
      }
      if (!input.banReporter) return;
      if (!relations.includes('admin')) throw Forbidden('admin_only', '只有管理员可以将投诉人加入黑名单');
      const openid = issue.reporterAccountId
        ? (
            await tx
              .select({ o: accountsTable.wechatOpenid })
              .from(accountsTable)
              .where(eq(accountsTable.id, issue.reporterAccountId))
          )[0]?.o
        : null;
      const bans = [
        ...(openid ? [{ kind: 'openid' as const, value: openid }] : []),
        ...(issue.reporterPhone ? [{ kind: 'phone' as const, value: issue.reporterPhone }] : []),
      ];
      if (bans.length === 0) return;
      await tx
        .insert(bansTable)
        .values(
          bans.map((b) => ({
            ...b,
            communityId: issue.communityId,
            reason: `${input.reason}（问题 ${issue.code}）`,
            createdBy: ctx.principal!.accountId,
          })),
        )
        .onConflictDoNothing();
    },
  });
  return getIssue(ctx, id);
}
