import { CommunityParams, CreditFileView, CreditQuery } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { creditFile } from '../services/credit/credit-file';

/** The property-service credit file (诚信档案), per organisation and period. */
export const creditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/communities/:key/credit',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'creditFile',
        summary:
          "An organisation's credit file for a period: letters, lapses, on-time rate, satisfaction, evaluation, and the score with its formula",
        tags: ['kpis'],
        params: CommunityParams,
        querystring: CreditQuery,
        response: { 200: CreditFileView },
      },
    },
    async (req) => creditFile(app.ctx(req), req.params.key, req.query),
  );
};
