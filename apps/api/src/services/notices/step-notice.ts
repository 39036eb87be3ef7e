import {
  assertMayNotice,
  Conflict,
  localDateOf,
  noticeNumber,
  noticeStep,
  type WithdrawNoticeBody,
} from '@gongzhi/domain';
import { and, eq, max, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { fundUsesTable, type NoticeRow, noticesTable } from '../../db/schema';
import { actorKeyOf, callerOf, type ServiceContext } from '../context';

import { recordOnIssue } from '../meetings/record-on-issue';
import { actorName, loadNotice } from './notice-store';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Approve a draft: the leadership group or the secretary, not its author. */
export async function approveNotice(ctx: ServiceContext, id: string) {
  const principal = callerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const { row, community, actor } = await loadNotice(ctx, tx, id, { lock: true });
    assertMayNotice(actor!, 'approve', { zone: row.zone, author: row.author });
    const status = noticeStep('approve', row.status);
    const me = actorName(ctx, community);
    await tx
      .update(noticesTable)
      .set({
        status,
        approvedBy: me.key,
        approvedByName: me.name,
        approvedByAccountId: principal.accountId,
        approvedAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .where(eq(noticesTable.id, id));
  });
}

/**
 * Publish an approved notice: it gets its number (per community and year, taken under an advisory
 * lock and backed by a unique index), a period counted from now if it has one of so many days, and
 * replaces the notice it corrects. A fund notice whose procedure has no notice yet starts it: the
 * publication IS the public notice (公示), and the fund's record says so.
 */
export async function publishNotice(ctx: ServiceContext, id: string) {
  const principal = callerOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const { row, community, actor } = await loadNotice(ctx, tx, id, { lock: true });
    assertMayNotice(actor!, 'publish', { zone: row.zone, author: row.author });
    const status = noticeStep('publish', row.status);
    if (row.supersedesId) await supersede(tx, row, now);

    const year = Number(localDateOf(now, community.config.timezone).slice(0, 4));
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`notices:${row.communityId}:${year}`}))`);
    const [{ last } = { last: 0 }] = await tx
      .select({ last: max(noticesTable.seq) })
      .from(noticesTable)
      .where(and(eq(noticesTable.communityId, row.communityId), eq(noticesTable.year, year)));
    const seq = (last ?? 0) + 1;
    const period =
      row.periodStart === null && row.periodDays !== null
        ? { periodStart: now, periodEnd: new Date(now.getTime() + row.periodDays * DAY_MS) }
        : { periodStart: row.periodStart, periodEnd: row.periodEnd };
    const me = actorName(ctx, community);
    await tx
      .update(noticesTable)
      .set({
        status,
        year,
        seq,
        number: noticeNumber(community.name, year, seq),
        ...period,
        publishedByName: me.name,
        publishedByAccountId: principal.accountId,
        publishedAt: now,
        updatedAt: now,
      })
      .where(eq(noticesTable.id, id));

    if (row.source?.kind === 'fund_notice' && period.periodStart) {
      await startFundNotice(
        ctx,
        tx,
        row.source.issue,
        row.communityId,
        period.periodStart,
        row.title,
        row.id,
      );
    }
  });
}

/** The notice a correction replaces must still be the published one; it stays, marked 已更正. */
async function supersede(tx: Tx, correction: NoticeRow, now: Date) {
  const [old] = await tx
    .select()
    .from(noticesTable)
    .where(eq(noticesTable.id, correction.supersedesId!))
    .for('update');
  if (old?.status !== 'published') {
    throw Conflict('notice_already_superseded', '被更正的公告已不再是发布状态（已被更正或撤回），不能再更正');
  }
  await tx
    .update(noticesTable)
    .set({ status: 'superseded', supersededById: correction.id, updatedAt: now })
    .where(eq(noticesTable.id, old.id));
}

/** Record the fund procedure's public notice from the publication, unless one is already recorded. */
async function startFundNotice(
  ctx: ServiceContext,
  tx: Tx,
  issueId: string,
  communityId: string,
  startedAt: Date,
  title: string,
  noticeId: string,
) {
  const [fund] = await tx.select().from(fundUsesTable).where(eq(fundUsesTable.issueId, issueId));
  if (fund?.noticeStartedAt) return;
  const actor = actorKeyOf(callerOf(ctx));
  const values = {
    noticeStartedAt: startedAt,
    noticeId,
    noticeText: title,
    noticeRecordedBy: actor,
    updatedAt: ctx.now(),
  };
  await tx
    .insert(fundUsesTable)
    .values({ issueId, communityId, ...values })
    .onConflictDoUpdate({ target: fundUsesTable.issueId, set: values });
  await recordOnIssue(ctx, tx, issueId, {
    action: 'fund_notice',
    actor,
    note: `维修资金使用方案已发布公告公示：${title}`,
    data: { notice: noticeId, startedAt: startedAt.toISOString() },
  });
}

/** Withdraw a notice (a draft abandoned, or a published one taken down): kept, with who, when and why. */
export async function withdrawNotice(ctx: ServiceContext, id: string, body: WithdrawNoticeBody) {
  const principal = callerOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const { row, community, actor } = await loadNotice(ctx, tx, id, { lock: true });
    assertMayNotice(actor!, 'withdraw', { zone: row.zone, author: row.author });
    const status = noticeStep('withdraw', row.status);
    await tx
      .update(noticesTable)
      .set({
        status,
        withdrawnByName: actorName(ctx, community).name,
        withdrawnByAccountId: principal.accountId,
        withdrawnAt: ctx.now(),
        withdrawReason: body.reason,
        updatedAt: ctx.now(),
      })
      .where(eq(noticesTable.id, id));
  });
}
