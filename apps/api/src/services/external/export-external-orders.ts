import {
  EXTERNAL_EXPORT_HEADER,
  EXTERNAL_SOURCE_NAMES,
  type ExternalExportQuery,
  Forbidden,
  keepsExternalOrders,
  readsAllIssues,
  STATUS_NAMES,
} from '@gongzhi/domain';
import { and, asc, eq } from 'drizzle-orm';
import { externalOrdersTable, issuesTable } from '../../db/schema';
import { csvFile, type Table, xlsxFile } from '../../lib/table-file';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import type { KpiExport } from '../kpi/export-kpis';

/**
 * GET /api/external-orders/export: every order of one source, oldest first, as the source's system
 * takes them back — its number, our code, the status, the reply and when it was sent (CSV or XLSX,
 * through the one table writer, which neutralises formulas).
 */
export async function exportExternalOrders(ctx: ServiceContext, q: ExternalExportQuery): Promise<KpiExport> {
  const community = getCommunity(ctx, q.community);
  const actor = actorIn(callerOf(ctx), community);
  if (!keepsExternalOrders(actor, community) && !readsAllIssues(actor))
    throw Forbidden('not_external_desk', '只有社区秘书、居委会接待人员可以导出外部转办工单');
  const rows = await ctx.db
    .select({ order: externalOrdersTable, issue: issuesTable })
    .from(externalOrdersTable)
    .innerJoin(issuesTable, eq(issuesTable.id, externalOrdersTable.issueId))
    .where(
      and(
        eq(externalOrdersTable.communityId, await communityId(ctx.db, community.key)),
        eq(externalOrdersTable.source, q.source),
      ),
    )
    .orderBy(asc(externalOrdersTable.createdAt), asc(externalOrdersTable.id));
  const table: Table = {
    sheet: EXTERNAL_SOURCE_NAMES[q.source],
    header: EXTERNAL_EXPORT_HEADER,
    rows: rows.map(({ order: o, issue: i }) => [
      o.externalNo,
      EXTERNAL_SOURCE_NAMES[o.source],
      i.code,
      STATUS_NAMES[i.status],
      o.externalDueAt,
      o.replyText ?? '',
      o.repliedAt,
      o.replyDueAt,
    ]),
    widths: [20, 12, 12, 12, 20, 50, 20, 20],
  };
  const opts = { timeZone: community.config.timezone };
  const base = `external-${community.key}-${q.source}`;
  const fileName = `${community.name}-${EXTERNAL_SOURCE_NAMES[q.source]}工单回复.${q.format}`;
  if (q.format === 'csv') {
    return {
      body: csvFile(table, opts),
      contentType: 'text/csv; charset=utf-8',
      fileName,
      asciiName: `${base}.csv`,
    };
  }
  return {
    body: await xlsxFile([table], opts),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName,
    asciiName: `${base}.xlsx`,
  };
}
