import {
  IdParams,
  MonthlyTopicsPage,
  PickTopicInput,
  SimilarIssues,
  SimilarQuery,
  TopicsQuery,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { similarIssues } from '../services/complaints/similar-issues';
import { followIssue } from '../services/issues/follow-issue';
import { listMonthlyTopics, pickMonthlyTopic } from '../services/topics/monthly-topics';

/** Duplicates at intake and the monthly topic (每月一题, docs/domain.md §9). */
export const topicRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/complaints/similar',
    {
      // Public (the form is anonymous), so limited per address; safe fields only.
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'similarComplaints',
        summary:
          'Open issues of the same building (or zone) and category, offered before a resident submits; no personal data',
        tags: ['complaints'],
        querystring: SimilarQuery,
        response: { 200: SimilarIssues },
      },
    },
    async (req) => similarIssues(app.ctx(req), app.deps.settings.qrSecret, req.query),
  );

  app.post(
    '/api/issues/:id/follow',
    {
      onRequest: [app.authenticate],
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        security: BEARER,
        operationId: 'followIssue',
        summary:
          '这也是我的问题: a signed-in resident follows an open issue (told of progress, counted as interest)',
        tags: ['complaints'],
        params: IdParams('问题'),
        response: { 200: z.object({ following: z.boolean(), interest: z.number() }) },
      },
    },
    async (req) => followIssue(app.ctx(req), req.params.id),
  );

  app.get(
    '/api/monthly-topics',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listMonthlyTopics',
        summary:
          'The month’s proposed topics (most frequent building × category clusters) and the picked topics with their before/after trends',
        tags: ['meetings'],
        querystring: TopicsQuery,
        response: { 200: MonthlyTopicsPage },
      },
    },
    async (req) => listMonthlyTopics(app.ctx(req), req.query),
  );

  app.post(
    '/api/monthly-topics',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'pickMonthlyTopic',
        summary:
          'The leadership or the secretary picks the month’s topic; it goes on the joint meeting’s agenda',
        tags: ['meetings'],
        body: PickTopicInput,
        response: { 201: MonthlyTopicsPage },
      },
    },
    async (req, reply) => reply.status(201).send(await pickMonthlyTopic(app.ctx(req), req.body)),
  );
};
