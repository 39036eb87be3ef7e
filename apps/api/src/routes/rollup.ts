import { RollupQuery, RollupView } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { districtRollup } from '../services/rollup/district-rollup';

/** The district roll-up over many communities (issue 19): administrators only. */
export const rollupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/admin/rollup',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'districtRollup',
        summary:
          'District roll-up (区域汇总) of issue counts over many communities (all, or communities=a,b,…) for whole months (period=2026Q3|2026-11, or from & to), by community, category, tier and status, from the summary the job clock maintains, with its freshness (refreshedAt, staleSeconds)',
        tags: ['admin'],
        querystring: RollupQuery,
        response: { 200: RollupView },
      },
    },
    async (req) => districtRollup(app.ctx(req), req.query),
  );
};
