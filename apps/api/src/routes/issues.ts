import {
  CallbackListView,
  CommunityParams,
  ContactInput,
  CreateIssueInput,
  IdParams,
  IssueDetail,
  IssuePage,
  ListIssuesQuery,
  MergeIssueInput,
  PhoneCallbackInput,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { contactReporter } from '../services/issues/contact-reporter';
import { createIssue } from '../services/issues/create-issue';
import { getIssue } from '../services/issues/get-issue';
import { listCallbacks } from '../services/issues/list-callbacks';
import { listIssues } from '../services/issues/list-issues';
import { mergeIssue } from '../services/issues/merge-issue';
import { recordCallback } from '../services/issues/record-callback';
import { RejectIssueInput, rejectIssue } from '../services/issues/reject-issue';

const IssueIdParams = IdParams('问题');

export const issueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/issues',
    {
      onRequest: [app.authenticate],
      config: {
        idempotency: { replay: async (req, id) => ({ status: 201, body: await getIssue(app.ctx(req), id) }) },
      },
      schema: {
        security: BEARER,
        operationId: 'createIssue',
        summary: 'Staff file an issue (patrol, duty desk, on behalf of a resident); it is routed at once',
        tags: ['issues'],
        body: CreateIssueInput,
        response: { 201: IssueDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createIssue(app.ctx(req), req.body)),
  );

  app.get(
    '/api/issues',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listIssues',
        summary: 'Issues the caller may read, newest first (keyset pagination)',
        tags: ['issues'],
        querystring: ListIssuesQuery,
        response: { 200: IssuePage },
      },
    },
    async (req) => listIssues(app.ctx(req), req.query),
  );

  app.post(
    '/api/issues/:id/reject',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'rejectIssue',
        summary: 'Owner or admin rejects an issue as invalid or abuse; admins may ban the reporter',
        tags: ['issues'],
        params: IssueIdParams,
        body: RejectIssueInput,
        response: { 200: IssueDetail },
      },
    },
    async (req) => rejectIssue(app.ctx(req), req.params.id, req.body),
  );

  app.post(
    '/api/issues/:id/merge',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'mergeIssue',
        summary:
          'The owner or an admin merges a duplicate into the surviving issue (by code or id): it closes as merged, its reporter is told and follows the survivor',
        tags: ['issues'],
        params: IssueIdParams,
        body: MergeIssueInput,
        response: { 200: IssueDetail },
      },
    },
    async (req) => mergeIssue(app.ctx(req), req.params.id, req.body),
  );

  app.get(
    '/api/issues/:id',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'getIssue',
        summary: 'One issue with its timeline and routing decision',
        tags: ['issues'],
        params: IssueIdParams,
        response: { 200: IssueDetail },
      },
    },
    async (req) => getIssue(app.ctx(req), req.params.id),
  );

  // 响应 and 回访 (issue 17 item 6, docs/api.md "Contact and callbacks").
  app.post(
    '/api/issues/:id/contact',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'contactReporter',
        summary:
          'Staff handling the issue record 已联系: the reporter was called, messaged, visited or answered in the app (the first contact counts for 响应率)',
        tags: ['issues'],
        params: IssueIdParams,
        body: ContactInput,
        response: { 200: IssueDetail },
      },
    },
    async (req) => contactReporter(app.ctx(req), req.params.id, req.body),
  );

  app.post(
    '/api/issues/:id/callback',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'recordPhoneCallback',
        summary:
          "The owner, the zone's rc or the secretary records a phone callback on a closed issue: 解决了吗 and 满意吗 (1–5); it is the issue's one rating",
        tags: ['issues'],
        params: IssueIdParams,
        body: PhoneCallbackInput,
        response: { 200: IssueDetail },
      },
    },
    async (req) => recordCallback(app.ctx(req), req.params.id, req.body),
  );

  app.get(
    '/api/communities/:key/callbacks',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listCallbacks',
        summary:
          'Closed issues awaiting a callback (回访) that the caller may call back, most recently closed first',
        tags: ['issues'],
        params: CommunityParams,
        response: { 200: CallbackListView },
      },
    },
    async (req) => listCallbacks(app.ctx(req), req.params.key),
  );
};
