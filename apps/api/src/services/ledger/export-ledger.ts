import {
  assertMayExportLedger,
  type Community,
  Invalid,
  type IssueLedgerQuery,
  type KpiPeriod,
  LEDGER_HEADER,
  LEDGER_WIDTHS,
  ledgerFileName,
  ledgerRows,
  parsePeriod,
  periodInstants,
} from '@gongzhi/domain';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';

type IssueRow = typeof issuesTable.$inferSelect;

import { csvFile, type Table, xlsxFile } from '../../lib/table-file';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { readableIssuesWhere } from '../issues/list-issues';
import type { KpiExport } from '../kpi/export-kpis';

const unknown = (field: string, what: string, value: string, options: Iterable<string>) =>
  Invalid(`unknown_${field}`, `${what} "${value}" 不存在`, [
    { path: `querystring.${field}`, message: `可选${what}：${[...options].join('、')}` },
  ]);

/**
 * What a ledger export selects, checked as the caller: the community, the period and the where
 * condition (the issue list's scope and the filters). The synchronous export and the export job
 * (export-jobs.ts) read the same rows through it.
 */
export async function ledgerSelection(ctx: ServiceContext, key: string, q: IssueLedgerQuery) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  const actor = actorIn(principal, community);
  assertMayExportLedger(actor);
  const period = parsePeriod(q, 'querystring.');
  if (q.zone && !community.zones.has(q.zone)) throw unknown('zone', '区域', q.zone, community.zones.keys());
  if (q.category && !community.categories.has(q.category))
    throw unknown('category', '类别', q.category, community.categories.keys());
  const { start, end } = periodInstants(period, community.config.timezone);
  const where = and(
    eq(issuesTable.communityId, await communityId(ctx.db, community.key)),
    gte(issuesTable.createdAt, start),
    lt(issuesTable.createdAt, end),
    ...readableIssuesWhere(actor, principal.accountId),
    q.zone ? eq(issuesTable.zone, q.zone) : undefined,
    q.category ? eq(issuesTable.category, q.category) : undefined,
    q.status ? eq(issuesTable.status, q.status) : undefined,
  );
  return { community, period, where };
}

/** The ledger file of the selected rows (oldest first), as CSV or XLSX. */
export async function ledgerFile(
  community: Community,
  period: KpiPeriod,
  q: IssueLedgerQuery,
  rows: IssueRow[],
): Promise<KpiExport> {
  const tz = community.config.timezone;
  const table: Table = {
    sheet: '工单台账',
    header: LEDGER_HEADER,
    rows: ledgerRows(community, rows),
    widths: LEDGER_WIDTHS,
  };
  const opts = { timeZone: tz };
  const fileName = ledgerFileName(community, period, q, q.format);
  const asciiName = `ledger-${community.key}-${period.key.replace('..', '_')}.${q.format}`;
  if (q.format === 'csv') {
    return { body: csvFile(table, opts), contentType: 'text/csv; charset=utf-8', fileName, asciiName };
  }
  return {
    body: await xlsxFile([table], opts),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName,
    asciiName,
  };
}

/**
 * GET /api/communities/:key/issues/ledger: the issue ledger (工单台账) of a period, as CSV or XLSX,
 * with the issues the caller may read (the issue list's scope), oldest first. Large ranges go
 * through an export job instead (POST …/ledger/jobs).
 */
export async function exportLedger(
  ctx: ServiceContext,
  key: string,
  q: IssueLedgerQuery,
): Promise<KpiExport> {
  const { community, period, where } = await ledgerSelection(ctx, key, q);
  const rows = await ctx.db
    .select()
    .from(issuesTable)
    .where(where)
    .orderBy(asc(issuesTable.createdAt), asc(issuesTable.id));
  return ledgerFile(community, period, q, rows);
}
