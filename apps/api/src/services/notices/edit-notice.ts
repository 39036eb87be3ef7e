import { assertMayNotice, type EditNoticeBody, Invalid, mayHavePeriod, noticeStep } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { noticesTable } from '../../db/schema';
import { callerOf, type ServiceContext } from '../context';

import { loadNotice } from './notice-store';

/**
 * Edit a draft (or an approved notice, which goes back to draft: the approval was of the old text).
 * A published notice is never edited (409 notice_published): a correction supersedes it.
 */
export async function editNotice(ctx: ServiceContext, id: string, body: EditNoticeBody) {
  callerOf(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const { row, community, actor } = await loadNotice(ctx, tx, id, { lock: true });
    const zone = body.zone === undefined ? row.zone : body.zone;
    // Both the zone it is in and the zone it moves to must be the editor's to draft.
    assertMayNotice(actor!, 'edit', { zone: row.zone, author: row.author, kind: row.kind });
    assertMayNotice(actor!, 'edit', { zone, author: row.author, kind: row.kind });
    const status = noticeStep('edit', row.status);
    if (zone !== null && !community.zones.has(zone)) {
      throw Invalid('unknown_zone', `区域 "${zone}" 不存在`, [
        { path: 'body.zone', message: `可选区域：${[...community.zones.keys()].join('、')}` },
      ]);
    }
    if ((body.period || body.periodDays !== undefined) && !mayHavePeriod(row.kind)) {
      throw Invalid('period_not_allowed', '只有维修资金公示（公示期）和通知公告（有效期）可以填写期限', [
        { path: 'body.period', message: '该类公告没有期限' },
      ]);
    }
    await tx
      .update(noticesTable)
      .set({
        status,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.body !== undefined ? { body: body.body } : {}),
        zone,
        ...(body.period
          ? {
              periodStart: new Date(body.period.start),
              periodEnd: new Date(body.period.end),
              periodDays: null,
            }
          : {}),
        ...(body.periodDays !== undefined
          ? { periodStart: null, periodEnd: null, periodDays: body.periodDays }
          : {}),
        approvedBy: null,
        approvedByName: null,
        approvedByAccountId: null,
        approvedAt: null,
        updatedAt: now,
      })
      .where(eq(noticesTable.id, id));
  });
}
