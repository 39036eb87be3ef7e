import {
  CommunityParams,
  IdParams,
  OversightCommentBody,
  OversightCommentsQuery,
  OversightCommentsView,
  OversightCommentView,
  RecordRoundBody,
  RoundsQuery,
  RoundsView,
  RoundView,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import {
  addOversightComment,
  getOversightComment,
  listOversightComments,
} from '../services/oversight/comments';
import { getRound, listRounds, recordRound } from '../services/oversight/rounds';

/**
 * Oversight and participation (issue 16, item 8): the supervisory committee's comments on the
 * record (监督委员会, seed 004), and patrol rounds and home visits (两巡两访, seed 002).
 */
export const oversightRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };

  app.get(
    '/api/communities/:key/oversight-comments',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listOversightComments',
        summary:
          "The supervisory committee's comments on one subject (an issue's handling, its fund use, a letter, a credit file), for everyone who reads the subject",
        tags: ['oversight'],
        params: CommunityParams,
        querystring: OversightCommentsQuery,
        response: { 200: OversightCommentsView },
      },
    },
    async (req) => listOversightComments(app.ctx(req), req.params.key, req.query),
  );

  app.post(
    '/api/communities/:key/oversight-comments',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({
            status: 201,
            body: await getOversightComment(app.ctx(req), (req.params as { key: string }).key, id),
          }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'addOversightComment',
        summary: 'A supervisory-committee member comments on the record (kept as written, never changed)',
        tags: ['oversight'],
        params: CommunityParams,
        body: OversightCommentBody,
        response: { 201: OversightCommentView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addOversightComment(app.ctx(req), req.params.key, req.body)),
  );

  app.post(
    '/api/rounds',
    {
      ...auth,
      config: {
        idempotency: { replay: async (req, id) => ({ status: 201, body: await getRound(app.ctx(req), id) }) },
      },
      schema: {
        security: BEARER,
        operationId: 'recordRound',
        summary:
          'A patrol round or home visit (两巡两访) is recorded: who, where, when, and found nothing or the issues filed',
        tags: ['oversight'],
        body: RecordRoundBody,
        response: { 201: RoundView },
      },
    },
    async (req, reply) => reply.status(201).send(await recordRound(app.ctx(req), req.body)),
  );

  app.get(
    '/api/rounds/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getRound',
        summary: 'One patrol round or home visit',
        tags: ['oversight'],
        params: IdParams('巡查记录'),
        response: { 200: RoundView },
      },
    },
    async (req) => getRound(app.ctx(req), req.params.id),
  );

  app.get(
    '/api/communities/:key/rounds',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listRounds',
        summary:
          "A month's patrol rounds and home visits the caller reads, with the counts per person (the 两巡两访 KPI)",
        tags: ['oversight'],
        params: CommunityParams,
        querystring: RoundsQuery,
        response: { 200: RoundsView },
      },
    },
    async (req) => listRounds(app.ctx(req), req.params.key, req.query),
  );
};
