import { DeskPage, DeskQuery } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { listDesk } from '../services/desk/list-desk';

/** The dispatch desk (调度台, docs/domain.md §6): what needs the people who own issues. */
export const deskRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/desk',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listDesk',
        summary:
          'The dispatch desk of a zone leader, line leader or the property manager: returned, unassigned, overdue and to-verify issues they own',
        tags: ['issues'],
        querystring: DeskQuery,
        response: { 200: DeskPage },
      },
    },
    async (req) => listDesk(app.ctx(req), req.query),
  );
};
