import { z } from 'zod';
import { URGENCY_NAMES } from '../community/names';
import type { Urgency } from '../community/schema';
import type { Community } from '../community/validate';
import { Forbidden } from '../errors';
import type { KpiPeriod } from '../kpi/period';
import { KPI_EXPORT_FORMATS } from '../kpi/views';
import { zoneNameOf } from '../routing/triage';
import type { Actor } from './access';
import { CHANNEL_NAMES, type Channel, IssueStatus, STATUS_NAMES, TIER_NAMES, type Tier } from './schema';

/**
 * The issue ledger (工单台账) the 居委会 hands in every month: one row per issue submitted in the
 * period, filtered by zone, category and status, as CSV or XLSX. The rows are exactly the issues
 * the caller may read (the issue list's scope); the file is written by the one table writer
 * (formulas neutralised, local times).
 */
export const IssueLedgerQuery = z.strictObject({
  format: z.enum(KPI_EXPORT_FORMATS, '格式应为 csv 或 xlsx').default('xlsx'),
  period: z.string().trim().max(32).optional(),
  from: z.string().trim().max(10).optional(),
  to: z.string().trim().max(10).optional(),
  zone: z.string().trim().min(1).max(32, '区域键最多 32 个字符').optional(),
  category: z.string().trim().min(1).max(32, '类别键最多 32 个字符').optional(),
  status: IssueStatus.optional(),
});
export type IssueLedgerQuery = z.infer<typeof IssueLedgerQuery>;

/** Who may download a ledger: staff of the community (any role) and administrators. */
export function assertMayExportLedger(actor: Actor) {
  if (!actor.admin && !actor.roles)
    throw Forbidden('ledger_not_permitted', '只有小区工作人员可以导出工单台账');
}

export const LEDGER_HEADER = [
  '序号',
  '编号',
  '提交时间',
  '区域',
  '楼号',
  '地点',
  '类别',
  '问题描述',
  '紧急程度',
  '层级',
  '负责人',
  '状态',
  '渠道',
  '办结时间',
] as const;

/** XLSX column widths, in characters. */
export const LEDGER_WIDTHS = [6, 14, 17, 14, 6, 16, 10, 40, 8, 12, 8, 8, 8, 17] as const;

/** The facts of an issue a ledger row shows. */
export interface LedgerIssue {
  code: string;
  createdAt: Date;
  zone: string;
  building: number | null;
  spot: string | null;
  category: string;
  description: string;
  urgency: Urgency;
  tier: Tier;
  owner: string | null;
  status: IssueStatus;
  channel: Channel;
  resolvedAt: Date | null;
}

export type LedgerCell = string | number | Date | null;

/** The rows in Chinese: codes named, people by name, instants left as Dates for the writer. */
export function ledgerRows(community: Community, issues: readonly LedgerIssue[]): LedgerCell[][] {
  return issues.map((i, n) => [
    n + 1,
    i.code,
    i.createdAt,
    zoneNameOf(community, i.zone),
    i.building,
    i.spot,
    community.categories.get(i.category)?.name ?? i.category,
    i.description,
    URGENCY_NAMES[i.urgency],
    TIER_NAMES[i.tier],
    i.owner ? (community.people.get(i.owner)?.name ?? i.owner) : null,
    STATUS_NAMES[i.status],
    CHANNEL_NAMES[i.channel],
    i.resolvedAt,
  ]);
}

/** 夏朵园居民区-工单台账-2026-11-第一责任区域.xlsx */
export function ledgerFileName(
  community: Community,
  period: KpiPeriod,
  filters: { zone?: string | undefined; category?: string | undefined; status?: IssueStatus | undefined },
  format: 'csv' | 'xlsx',
) {
  const parts = [community.name, '工单台账', period.key.replace('..', '至')];
  if (filters.zone) parts.push(community.zones.get(filters.zone)?.name ?? filters.zone);
  if (filters.category) parts.push(community.categories.get(filters.category)?.name ?? filters.category);
  if (filters.status) parts.push(STATUS_NAMES[filters.status]);
  return `${parts.join('-')}.${format}`;
}

/** A ledger export running in the background (issue 19): POST …/issues/ledger/jobs, then poll. */
export const ExportJobView = z.object({
  id: z.string(),
  kind: z.enum(['ledger']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** Rows written so far, of `total` (null until the job has counted them). */
  done: z.number().int(),
  total: z.number().int().nullable(),
  fileName: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Where to download the file once done (same bearer token); null before. */
  downloadUrl: z.string().nullable(),
});
export type ExportJobView = z.infer<typeof ExportJobView>;

/** How many rows a ledger export job reads per page (and how often its progress moves). */
export const EXPORT_JOB_PAGE = 5_000;
