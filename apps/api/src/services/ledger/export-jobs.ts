import {
  Conflict,
  EXPORT_JOB_PAGE,
  type ExportJobView,
  type IssueLedgerQuery,
  NotFound,
} from '@gongzhi/domain';
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { exportJobsTable, issuesTable } from '../../db/schema';
import type { Storage } from '../../lib/storage';
import { communityId } from '../communities/community-id';
import { callerOf, type Principal, type ServiceContext } from '../context';
import { ledgerFile, ledgerSelection } from './export-ledger';

type JobRow = typeof exportJobsTable.$inferSelect;
type JobParams = { query: IssueLedgerQuery; community: string; principal: Principal };

export function toJobView(row: JobRow): ExportJobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    done: row.done,
    total: row.total,
    fileName: row.fileName,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    downloadUrl: row.status === 'done' ? `/api/export-jobs/${row.id}/file` : null,
  };
}

/**
 * POST /api/communities/:key/issues/ledger/jobs: the same request as the synchronous ledger, checked
 * the same way now (403 / 400 before anything is stored), run later by the export worker.
 */
export async function startLedgerJob(ctx: ServiceContext, key: string, q: IssueLedgerQuery) {
  await ledgerSelection(ctx, key, q);
  const principal = callerOf(ctx);
  const params: JobParams = {
    query: q,
    community: key,
    principal: { ...principal, sessionId: 'export-job' },
  };
  const [row] = await ctx.db
    .insert(exportJobsTable)
    .values({
      kind: 'ledger',
      communityId: await communityId(ctx.db, key),
      accountId: principal.accountId,
      params,
      status: 'queued',
      createdAt: ctx.now(),
    })
    .returning();
  return toJobView(row!);
}

/** The caller's own job, else 404 (another person's job is not theirs to see). */
async function ownJob(ctx: ServiceContext, id: string): Promise<JobRow> {
  const principal = callerOf(ctx);
  const [row] = await ctx.db
    .select()
    .from(exportJobsTable)
    .where(and(eq(exportJobsTable.id, id), eq(exportJobsTable.accountId, principal.accountId)));
  if (!row) throw NotFound('export_job_not_found', '导出任务不存在');
  return row;
}

/** GET /api/export-jobs/:id: status and progress. */
export const getExportJob = async (ctx: ServiceContext, id: string) => toJobView(await ownJob(ctx, id));

/** GET /api/export-jobs/:id/file: the finished file; 409 until it is done. */
export async function exportJobFile(ctx: ServiceContext & { storage: Storage }, id: string) {
  const row = await ownJob(ctx, id);
  if (row.status !== 'done' || !row.storageKey)
    throw Conflict(
      'export_not_ready',
      row.status === 'failed' ? '导出失败，请重新导出' : '文件尚未生成，请稍候',
    );
  const body = await ctx.storage.get(row.storageKey);
  if (!body) throw NotFound('export_file_missing', '导出文件已不存在，请重新导出');
  const ext = row.storageKey.endsWith('.csv') ? 'csv' : 'xlsx';
  return {
    body,
    contentType: row.contentType!,
    fileName: row.fileName!,
    asciiName: `ledger-${row.id}.${ext}`,
  };
}

/**
 * The export worker (job clock): claims the oldest queued job (SKIP LOCKED: several processes never
 * take the same one), counts its rows, reads them in keyset pages of EXPORT_JOB_PAGE recording
 * progress, writes the file to storage and marks it done — or failed with the reason. One job per
 * call; returns whether there was one.
 */
export async function runExportJob(
  ctx: Pick<ServiceContext, 'db' | 'communities' | 'calendars' | 'now'> & { storage: Storage },
): Promise<boolean> {
  const claimed = await ctx.db
    .update(exportJobsTable)
    .set({ status: 'running', startedAt: ctx.now() })
    .where(
      eq(
        exportJobsTable.id,
        sql`(select id from export_jobs where status = 'queued' order by created_at limit 1 for update skip locked)`,
      ),
    )
    .returning();
  const job = claimed[0];
  if (!job) return false;
  const params = job.params as JobParams;
  try {
    const jobCtx: ServiceContext = { ...ctx, principal: params.principal } as ServiceContext;
    const { community, period, where } = await ledgerSelection(jobCtx, params.community, params.query);
    const [counted] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(issuesTable).where(where);
    await ctx.db.update(exportJobsTable).set({ total: counted!.n }).where(eq(exportJobsTable.id, job.id));
    const rows: (typeof issuesTable.$inferSelect)[] = [];
    for (;;) {
      const last = rows.at(-1);
      const page = await ctx.db
        .select()
        .from(issuesTable)
        .where(
          and(
            where,
            last
              ? or(
                  gt(issuesTable.createdAt, last.createdAt),
                  and(eq(issuesTable.createdAt, last.createdAt), gt(issuesTable.id, last.id)),
                )
              : undefined,
          ),
        )
        .orderBy(asc(issuesTable.createdAt), asc(issuesTable.id))
        .limit(EXPORT_JOB_PAGE);
      rows.push(...page);
      await ctx.db.update(exportJobsTable).set({ done: rows.length }).where(eq(exportJobsTable.id, job.id));
      if (page.length < EXPORT_JOB_PAGE) break;
    }
    const file = await ledgerFile(community, period, params.query, rows);
    const storageKey = `exports/${job.id}.${params.query.format}`;
    await ctx.storage.put(storageKey, Buffer.from(file.body), file.contentType);
    await ctx.db
      .update(exportJobsTable)
      .set({
        status: 'done',
        storageKey,
        fileName: file.fileName,
        contentType: file.contentType,
        finishedAt: ctx.now(),
      })
      .where(eq(exportJobsTable.id, job.id));
  } catch (err) {
    await ctx.db
      .update(exportJobsTable)
      .set({ status: 'failed', error: (err as Error).message.slice(0, 500), finishedAt: ctx.now() })
      .where(eq(exportJobsTable.id, job.id));
  }
  return true;
}
