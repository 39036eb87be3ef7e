import {
  CreateExternalOrderInput,
  ExternalExportQuery,
  ExternalOrderPage,
  ExternalOrdersQuery,
  ExternalOrderView,
  ExternalReplyInput,
  IdParams,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendFile } from '../lib/send-file';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { createExternalOrder } from '../services/external/create-external-order';
import { exportExternalOrders } from '../services/external/export-external-orders';
import { getExternalOrder, listExternalOrders } from '../services/external/list-external-orders';
import { replyExternalOrder } from '../services/external/reply-external-order';

/** External orders (外部转办, docs/domain.md §4): the 12345 hotline and the street office. */
export const externalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/external-orders',
    {
      onRequest: [app.authenticate],
      config: {
        idempotency: {
          replay: async (req, issueId) => ({
            status: 201,
            body: await getExternalOrder(app.ctx(req), { issueId }),
          }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'createExternalOrder',
        summary:
          'The secretary or the rc desk enters an order from the 12345 hotline or the street office (number unique per source, deadlines); it becomes an issue routed as usual',
        tags: ['issues'],
        body: CreateExternalOrderInput,
        response: { 201: ExternalOrderView },
      },
    },
    async (req, reply) => reply.status(201).send(await createExternalOrder(app.ctx(req), req.body)),
  );

  app.get(
    '/api/external-orders',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listExternalOrders',
        summary: 'External orders, newest first, with their deadlines and replies',
        tags: ['issues'],
        querystring: ExternalOrdersQuery,
        response: { 200: ExternalOrderPage },
      },
    },
    async (req) => listExternalOrders(app.ctx(req), req.query),
  );

  app.get(
    '/api/external-orders/export',
    {
      onRequest: [app.authenticate],
      config: { fileTypes: FILE_TYPES.SPREADSHEET },
      schema: {
        security: BEARER,
        operationId: 'exportExternalOrders',
        summary:
          'The replies for the hotline’s system: external no., status, reply text and time (format=csv|xlsx)',
        tags: ['issues'],
        querystring: ExternalExportQuery,
      },
    },
    async (req, reply) => {
      return sendFile(reply, await exportExternalOrders(app.ctx(req), req.query));
    },
  );

  app.post(
    '/api/external-orders/:id/reply',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'replyExternalOrder',
        summary: 'Record the reply sent back to the source, once the work is done (once)',
        tags: ['issues'],
        params: IdParams('外部转办工单'),
        body: ExternalReplyInput,
        response: { 200: ExternalOrderView },
      },
    },
    async (req) => replyExternalOrder(app.ctx(req), req.params.id, req.body),
  );
};
