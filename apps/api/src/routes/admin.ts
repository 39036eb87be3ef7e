import { IdParams } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { addBan, BanInput, BanView, listBans, removeBan } from '../services/accounts/manage-bans';

/** Administrators: the ban list (openid or phone) whose complaints are hidden, never dispatched. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/admin/bans',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'addBan',
        summary: 'Ban a phone, address or account from filing complaints',
        tags: ['admin'],
        body: BanInput,
        response: { 201: BanView },
      },
    },
    async (req, reply) => reply.status(201).send(await addBan(app.ctx(req), req.body)),
  );
  app.get(
    '/api/admin/bans',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'listBans',
        summary: 'The bans in force',
        tags: ['admin'],
        response: { 200: z.array(BanView) },
      },
    },
    async (req) => listBans(app.ctx(req)),
  );
  app.delete(
    '/api/admin/bans/:id',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'removeBan',
        summary: 'Lift a ban',
        tags: ['admin'],
        params: IdParams(),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await removeBan(app.ctx(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
