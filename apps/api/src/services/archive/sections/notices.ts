import { NOTICE_KIND_NAMES, NOTICE_STATUS_NAMES } from '@gongzhi/domain';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { noticesTable } from '../../../db/schema';
import { type ArchiveSection, csv, iso, json, tally } from '../section';

/** Notices drafted in the quarter, whatever became of them, with every step (who, when). */
export const noticesSection: ArchiveSection = {
  key: 'notices',
  async export(sx) {
    const { tx, community, communityId, start, end } = sx;
    const rows = await tx
      .select()
      .from(noticesTable)
      .where(
        and(
          eq(noticesTable.communityId, communityId),
          gte(noticesTable.createdAt, start),
          lt(noticesTable.createdAt, end),
        ),
      )
      .orderBy(asc(noticesTable.createdAt), asc(noticesTable.id));
    const records = rows.map((n) => ({
      number: n.number,
      kind: NOTICE_KIND_NAMES[n.kind],
      status: NOTICE_STATUS_NAMES[n.status],
      zone: n.zone ? (community.zones.get(n.zone)?.name ?? n.zone) : null,
      title: n.title,
      body: n.body,
      period: n.periodStart ? { start: iso(n.periodStart), end: iso(n.periodEnd) } : null,
      periodDays: n.periodDays,
      author: n.authorName,
      createdAt: iso(n.createdAt),
      approvedBy: n.approvedByName,
      approvedAt: iso(n.approvedAt),
      publishedBy: n.publishedByName,
      publishedAt: iso(n.publishedAt),
      withdrawnBy: n.withdrawnByName,
      withdrawnAt: iso(n.withdrawnAt),
      withdrawReason: n.withdrawReason,
    }));
    return {
      files: [
        { path: 'notices/notices.json', data: json(records) },
        {
          path: 'notices/notices.csv',
          data: csv(
            sx,
            ['文号', '类别', '状态', '区域', '标题', '起草人', '起草时间', '审核人', '发布时间', '撤回原因'],
            records.map((r, n) => [
              r.number,
              r.kind,
              r.status,
              r.zone,
              r.title,
              r.author,
              rows[n]!.createdAt,
              r.approvedBy,
              rows[n]!.publishedAt,
              r.withdrawReason,
            ]),
          ),
        },
      ],
      summary: {
        heading: '公告公示',
        lines: [
          `本季度起草公告 ${records.length} 份，其中发布 ${rows.filter((n) => n.publishedAt).length} 份、撤回 ${rows.filter((n) => n.withdrawnAt).length} 份。`,
        ],
        tables: [{ title: '公告（按类别）', rows: tally(records, (r) => r.kind) }],
      },
    };
  },
};
