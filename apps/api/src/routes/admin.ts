import {
  BanInput,
  BanView,
  IdParams,
  Open311KeyInput,
  Open311KeyIssued,
  Open311KeyView,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { addBan, listBans, removeBan } from '../services/accounts/manage-bans';
import { callerOf } from '../services/context';
import { createOpen311Key, replayIssuedOpen311Key } from '../services/open311/create-open311-key';
import { listOpen311Keys } from '../services/open311/list-open311-keys';
import { revokeOpen311Key } from '../services/open311/revoke-open311-key';

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

  // Open311 API keys of the systems that submit requests (docs/operations.md, Open311).
  app.post(
    '/api/admin/open311-keys',
    {
      onRequest: [app.requireAdmin],
      config: {
        // A retry after a lost answer gives the same administrator the same key, never a second
        // one; the key is sealed in the idempotency record (scoped to the account) for a day.
        idempotency: {
          replay: async (req, id, extras) => ({
            status: 201,
            body: await replayIssuedOpen311Key(app.ctx(req).db, id, extras),
          }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'createOpen311Key',
        summary:
          'Issue an Open311 API key to a submitting system (one community or all); the key is in this answer only',
        tags: ['admin'],
        body: Open311KeyInput,
        response: { 201: Open311KeyIssued },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const issued = await createOpen311Key(ctx.db, req.body, {
        accountId: callerOf(ctx).accountId,
        now: ctx.now(),
        idempotency: ctx.idempotency,
      });
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  );
  app.get(
    '/api/admin/open311-keys',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'listOpen311Keys',
        summary:
          'The Open311 API keys, newest first: name, community, first characters, created, revoked, last used',
        tags: ['admin'],
        response: { 200: z.array(Open311KeyView) },
      },
    },
    async (req) => listOpen311Keys(app.ctx(req).db),
  );
  app.post(
    '/api/admin/open311-keys/:id/revoke',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'revokeOpen311Key',
        summary: 'Revoke an Open311 API key: its requests are refused (403) from now on',
        tags: ['admin'],
        params: IdParams('Open311 密钥'),
        response: { 200: Open311KeyView },
      },
    },
    async (req) => revokeOpen311Key(app.ctx(req).db, req.params.id, app.ctx(req).now()),
  );
};
