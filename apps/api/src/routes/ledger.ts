import {
  CommunityParams,
  ExportJobView,
  HonorEntriesQuery,
  HonorEntryInput,
  HonorEntryPage,
  HonorEntryView,
  IdParams,
  IssueLedgerQuery,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendFile } from '../lib/send-file';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { exportJobFile, getExportJob, startLedgerJob } from '../services/ledger/export-jobs';
import { exportLedger } from '../services/ledger/export-ledger';
import { getHonorEntry, listHonorEntries, recordHonorEntry } from '../services/notices/honor-roll';

/**
 * The issue ledger export (工单台账) and the residents' convention's red and black lists (红黑榜):
 * issue 16, items 7 and 8.
 */
export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };

  app.get(
    '/api/communities/:key/issues/ledger',
    {
      ...auth,
      config: { fileTypes: FILE_TYPES.SPREADSHEET },
      schema: {
        security: BEARER,
        operationId: 'exportIssueLedger',
        summary:
          'The issue ledger (工单台账) of a period (period=2026-11|2026Q4, or from & to) as format=xlsx|csv, filtered by zone, category, status; only issues the caller may read',
        tags: ['issues'],
        params: CommunityParams,
        querystring: IssueLedgerQuery,
      },
    },
    async (req, reply) => {
      return sendFile(reply, await exportLedger(app.ctx(req), req.params.key, req.query));
    },
  );

  app.post(
    '/api/communities/:key/issues/ledger/jobs',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'startLedgerExportJob',
        summary:
          'Start the issue ledger export of a large range as a background job (the body is the ledger query); poll GET /api/export-jobs/:id for progress, then download its file',
        tags: ['issues'],
        params: CommunityParams,
        body: IssueLedgerQuery,
        response: { 202: ExportJobView },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await startLedgerJob(app.ctx(req), req.params.key, req.body)),
  );

  app.get(
    '/api/export-jobs/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getExportJob',
        summary:
          "An export job's status and progress (rows done of total), with the download link once done; the requester's own jobs only",
        tags: ['issues'],
        params: IdParams('导出任务'),
        response: { 200: ExportJobView },
      },
    },
    async (req) => getExportJob(app.ctx(req), req.params.id),
  );

  app.get(
    '/api/export-jobs/:id/file',
    {
      ...auth,
      config: { fileTypes: FILE_TYPES.SPREADSHEET, errorAnswers: [409] },
      schema: {
        security: BEARER,
        operationId: 'downloadExportJob',
        summary: "A finished export job's file (409 export_not_ready before); the requester's own jobs only",
        tags: ['issues'],
        params: IdParams('导出任务'),
      },
    },
    async (req, reply) =>
      sendFile(reply, await exportJobFile({ ...app.ctx(req), storage: app.deps.storage }, req.params.id)),
  );

  app.get(
    '/api/communities/:key/honor-roll',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listHonorEntries',
        summary:
          'Red and black list entries (红黑榜), newest first, with the notice that published each (keepers)',
        tags: ['notices'],
        params: CommunityParams,
        querystring: HonorEntriesQuery,
        response: { 200: HonorEntryPage },
      },
    },
    async (req) => listHonorEntries(app.ctx(req), req.params.key, req.query),
  );

  app.post(
    '/api/communities/:key/honor-roll',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({
            status: 201,
            body: await getHonorEntry(app.ctx(req), (req.params as { key: string }).key, id),
          }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'recordHonorEntry',
        summary: 'Record a red or black list entry (Party branch, 业委会); append-only',
        tags: ['notices'],
        params: CommunityParams,
        body: HonorEntryInput,
        response: { 201: HonorEntryView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordHonorEntry(app.ctx(req), req.params.key, req.body)),
  );
};
