import { IdParams, IssueDetail } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { BEARER } from '../plugins/auth';
import type { ServiceContext } from '../services/context';
import { getIssue } from '../services/issues/get-issue';

type App = Parameters<FastifyPluginAsyncZod>[0];

const IssueIdParams = IdParams('问题');

/**
 * One step on an issue, `POST /api/issues/:id/<path>` (dispatch, verification, rating, case
 * handling…): an authenticated caller, the step's body, and the issue as the caller now sees it in
 * answer (its capabilities say what comes next).
 */
export function issueStepRoute<B extends z.ZodType>(
  app: App,
  path: string,
  operationId: string,
  summary: string,
  body: B,
  run: (ctx: ServiceContext, id: string, body: z.infer<B>) => Promise<unknown>,
) {
  app.post(
    `/api/issues/:id/${path}`,
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId,
        summary,
        tags: ['issues'],
        params: IssueIdParams,
        body,
        response: { 200: IssueDetail },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      const id = (req.params as { id: string }).id;
      await run(ctx, id, req.body as z.infer<B>);
      return getIssue(ctx, id);
    },
  );
}
