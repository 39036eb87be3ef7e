import { RESPONSE_CHANNEL_NAMES } from '@gongzhi/domain';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { evaluationCampaignsTable, evaluationResponsesTable } from '../../../db/schema';
import type { TableCell } from '../../../lib/table-file';
import { campaignResults } from '../../evaluation/results';
import { type ArchiveSection, csv, json } from '../section';

/**
 * Residents' evaluations started in the quarter: each campaign's aggregate results, and the audit
 * list (which household answered, how and when, with its receipt) — never the answers of a
 * household, which stay anonymous in the archive as in the product.
 */
export const evaluationsSection: ArchiveSection = {
  key: 'evaluations',
  async export(sx) {
    const { tx, community, communityId, start, end } = sx;
    const campaigns = await tx
      .select()
      .from(evaluationCampaignsTable)
      .where(
        and(
          eq(evaluationCampaignsTable.communityId, communityId),
          gte(evaluationCampaignsTable.createdAt, start),
          lt(evaluationCampaignsTable.createdAt, end),
        ),
      )
      .orderBy(asc(evaluationCampaignsTable.createdAt));
    const results = [];
    const audit: TableCell[][] = [];
    for (const c of campaigns) {
      results.push(await campaignResults(tx, c.id));
      const responses = await tx
        .select()
        .from(evaluationResponsesTable)
        .where(eq(evaluationResponsesTable.campaignId, c.id))
        .orderBy(asc(evaluationResponsesTable.createdAt), asc(evaluationResponsesTable.id));
      for (const r of responses) {
        audit.push([
          c.quarter,
          community.zones.get(r.zone)?.name ?? r.zone,
          `${r.building}号楼${r.room}`,
          RESPONSE_CHANNEL_NAMES[r.channel],
          r.createdAt,
          r.receipt,
        ]);
      }
    }
    return {
      files: [
        { path: 'evaluations/results.json', data: json(results) },
        {
          path: 'evaluations/responses-audit.csv',
          data: csv(sx, ['季度', '区域', '住户', '方式', '提交时间', '回执'], audit),
        },
      ],
      summary: {
        heading: '居民评议',
        lines: results.length
          ? results.map(
              (r) =>
                `${r.campaign.title}（${r.campaign.statusName}）：${r.responses} 户参与；` +
                r.targets
                  .map((t) => `${t.name} ${t.mean === null ? '无评分' : `${t.mean.toFixed(2)} 分`}`)
                  .join('，'),
            )
          : ['本季度未开展居民评议。'],
        tables: [],
      },
    };
  },
};
