import { IdParams, IssueDetail, PlaceIssueInput, TriagePage, TriageQuery } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { getIssue } from '../services/issues/get-issue';
import { listTriage } from '../services/triage/list-triage';
import { placeIssue } from '../services/triage/place-issue';

/** The triage desk (兜底, docs/domain.md §5): complaints routing could not place, placed by hand. */
export const triageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/triage',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listTriage',
        summary:
          'The triage desk: complaints routing could not place (unknown building or place, a category no one owns), oldest first',
        tags: ['issues'],
        querystring: TriageQuery,
        response: { 200: TriagePage },
      },
    },
    async (req) => listTriage(app.ctx(req), req.query),
  );

  app.post(
    '/api/issues/:id/place',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'placeIssue',
        summary:
          'The triage keeper places a complaint by hand (building or zone, optionally a category); it then routes as usual',
        tags: ['issues'],
        params: IdParams('问题'),
        body: PlaceIssueInput,
        response: { 200: IssueDetail },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      return getIssue(ctx, await placeIssue(ctx, req.params.id, req.body));
    },
  );
};
