import {
  CommunityParams,
  CreateNoticeBody,
  EditNoticeBody,
  IdParams,
  NoticePage,
  NoticeView,
  PublicNoticesQuery,
  StaffNoticesQuery,
  WithdrawNoticeBody,
} from '@gongzhi/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { createNotice } from '../services/notices/create-notice';
import { editNotice } from '../services/notices/edit-notice';
import { listNotices, listPublicNotices } from '../services/notices/list-notices';
import { getNotice } from '../services/notices/notice-store';
import { printNotice } from '../services/notices/print-notice';
import { approveNotice, publishNotice, withdrawNotice } from '../services/notices/step-notice';

const NoticeParams = IdParams('公告');
const NoBody = z.strictObject({}).nullish();
/** Published notices are public; a bearer token, when sent, shows drafts to those who write them. */
const BEARER_OR_NONE: { [label: string]: string[] }[] = [{ bearer: [] }, {}];

/** Public notices (公告公示, docs/domain.md §10, issue 8): draft → approved → published, and kept. */
export const noticeRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };
  const bearerIfSent = async (req: FastifyRequest) => {
    if (req.headers.authorization !== undefined) await app.authenticate(req);
  };

  app.get(
    '/api/communities/:key/notices',
    {
      schema: {
        operationId: 'listPublicNotices',
        summary:
          'Published notices of a community, newest first (a zone: its own and the community-wide ones)',
        tags: ['notices'],
        params: CommunityParams,
        querystring: PublicNoticesQuery,
        response: { 200: NoticePage },
      },
    },
    async (req) => listPublicNotices(app.ctx(req), req.params.key, req.query),
  );
  app.get(
    '/api/notices',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listNotices',
        summary:
          'Every notice of a community, drafts too, newest first (leadership, secretary, zone leaders)',
        tags: ['notices'],
        querystring: StaffNoticesQuery,
        response: { 200: NoticePage },
      },
    },
    async (req) => listNotices(app.ctx(req), req.query),
  );
  app.post(
    '/api/notices',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getNotice(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'createNotice',
        summary:
          'Draft a notice, written ({kind, title, body}) or generated from a source (zone roster, joint-meeting resolution, fund use)',
        tags: ['notices'],
        body: CreateNoticeBody,
        response: { 201: NoticeView },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const id = await createNotice(ctx, req.body);
      return reply.status(201).send(await getNotice(ctx, id));
    },
  );
  app.get(
    '/api/notices/:id',
    {
      onRequest: [bearerIfSent],
      schema: {
        security: BEARER_OR_NONE,
        operationId: 'getNotice',
        summary: 'One notice: published ones for anyone, drafts for those who write them',
        tags: ['notices'],
        params: NoticeParams,
        response: { 200: NoticeView },
      },
    },
    async (req) => getNotice(app.ctx(req), req.params.id),
  );
  app.put(
    '/api/notices/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'editNotice',
        summary: 'Edit a draft (an approved one goes back to draft); a published notice is never edited',
        tags: ['notices'],
        params: NoticeParams,
        body: EditNoticeBody,
        response: { 200: NoticeView },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await editNotice(ctx, req.params.id, req.body);
      return getNotice(ctx, req.params.id);
    },
  );
  const step = (action: 'approve' | 'publish', verb: typeof approveNotice, summary: string) =>
    app.post(
      `/api/notices/:id/${action}`,
      {
        ...auth,
        schema: {
          security: BEARER,
          operationId: `${action}Notice`,
          summary,
          tags: ['notices'],
          params: NoticeParams,
          body: NoBody,
          response: { 200: NoticeView },
        },
      },
      async (req) => {
        const ctx = app.ctx(req);
        await verb(ctx, req.params.id);
        return getNotice(ctx, req.params.id);
      },
    );
  step('approve', approveNotice, 'The leadership group or the secretary approves a draft (not its author)');
  step(
    'publish',
    publishNotice,
    'Publish an approved notice: numbered, its period starts, the notice it corrects is superseded',
  );
  app.post(
    '/api/notices/:id/withdraw',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'withdrawNotice',
        summary: 'Withdraw a notice with a reason; it is kept',
        tags: ['notices'],
        params: NoticeParams,
        body: WithdrawNoticeBody,
        response: { 200: NoticeView },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await withdrawNotice(ctx, req.params.id, req.body);
      return getNotice(ctx, req.params.id);
    },
  );
  app.get(
    '/api/notices/:id/print',
    {
      onRequest: [bearerIfSent],
      config: { fileTypes: FILE_TYPES.HTML },
      schema: {
        security: BEARER_OR_NONE,
        operationId: 'printNotice',
        summary: 'The notice as a printable A4 HTML page',
        tags: ['notices'],
        params: NoticeParams,
      },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(await printNotice(app.ctx(req), req.params.id)),
  );
};
