import { CommunityParams, KpiExportQuery, KpiQuery, KpiView } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { exportKpis } from '../services/kpi/export-kpis';
import { readKpis } from '../services/kpi/read-kpis';

/** KPIs (docs/domain.md §11, issue 8): the view, and the same as CSV or XLSX. */
export const kpiRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };

  app.get(
    '/api/communities/:key/kpis',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getKpis',
        summary:
          'KPIs of a period (period=2026Q3|2026-07, or from & to) and a scope (scope=community|zone|line|org|person with zone=|line=|org=|person=): totals, by category, by tier, monthly trend; every ratio with its counts',
        tags: ['kpis'],
        params: CommunityParams,
        querystring: KpiQuery,
        response: { 200: KpiView },
      },
    },
    async (req) => readKpis(app.ctx(req), req.params.key, req.query),
  );

  app.get(
    '/api/communities/:key/kpis/export',
    {
      ...auth,
      config: { fileTypes: FILE_TYPES.SPREADSHEET },
      schema: {
        security: BEARER,
        operationId: 'exportKpis',
        summary: 'The same KPIs as a file: format=csv (UTF-8 with BOM) or format=xlsx, with Chinese headers',
        tags: ['kpis'],
        params: CommunityParams,
        querystring: KpiExportQuery,
      },
    },
    async (req, reply) => {
      const file = await exportKpis(app.ctx(req), req.params.key, req.query);
      return reply
        .type(file.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        )
        .header('cache-control', 'private, no-store')
        .send(file.body);
    },
  );
};
