import {
  ArchiveLinkView,
  ArchiveList,
  ArchiveView,
  CommunityParams,
  CreateArchiveInput,
  IdParams,
} from '@gongzhi/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { createArchive } from '../services/archive/create-archive';
import {
  type ArchiveContext,
  archiveLink,
  listArchives,
  readArchivePackage,
} from '../services/archive/list-archives';
import { archiveSigningKey } from '../services/archive/signing';

const ArchiveParams = IdParams('归档');
const NoBody = z.strictObject({}).nullish();
const PackageQuery = z.strictObject({ token: z.string().max(100).optional() });

/** The quarterly archive (docs/domain.md §13, issue 8): create (which locks the quarter), list, download. */
export const archiveRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };
  const archiveCtx = (req: FastifyRequest): ArchiveContext => ({
    ...app.ctx(req),
    storage: app.deps.storage,
    signingSecret: app.deps.settings.jwtSecret,
  });
  // A download link's token stands in for the bearer header; with neither, the service says 401.

  app.get(
    '/api/archives/signing-key',
    {
      schema: {
        operationId: 'getArchiveSigningKey',
        summary: "The archive signing key's public half, to check a package's signature",
        tags: ['archive'],
        response: { 200: z.object({ algorithm: z.literal('ed25519'), publicKey: z.string() }) },
      },
    },
    async () => ({
      algorithm: 'ed25519' as const,
      publicKey: archiveSigningKey(app.deps.settings.jwtSecret).publicKey,
    }),
  );

  app.post(
    '/api/communities/:key/archives',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'createArchive',
        summary:
          'Archive a finished quarter (secretary, leadership, admin): builds and stores the package and locks the quarter. 409 quarter_not_over / quarter_already_archived / quarter_has_open_issues',
        tags: ['archive'],
        params: CommunityParams,
        body: CreateArchiveInput,
        response: { 201: ArchiveView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createArchive(archiveCtx(req), req.params.key, req.body)),
  );

  app.get(
    '/api/communities/:key/archives',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listArchives',
        summary: 'The archived quarters (newest first) and the finished quarters that may be archived',
        tags: ['archive'],
        params: CommunityParams,
        response: { 200: ArchiveList },
      },
    },
    async (req) => listArchives(app.ctx(req), req.params.key),
  );

  app.post(
    '/api/archives/:id/link',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'archiveLink',
        summary:
          'A download URL valid for ten minutes, for browsers and WeChat (which cannot send the bearer header)',
        tags: ['archive'],
        params: ArchiveParams,
        body: NoBody,
        response: { 200: ArchiveLinkView },
      },
    },
    async (req) =>
      archiveLink(app.ctx(req), req.params.id, {
        secret: app.deps.settings.jwtSecret,
        publicUrl: app.deps.settings.PUBLIC_URL,
      }),
  );

  app.get(
    '/api/archives/:id/package',
    {
      onRequest: [app.authenticateIfSent],
      config: { fileTypes: FILE_TYPES.ZIP },
      schema: {
        security: [{ bearer: [] }, {}],
        operationId: 'downloadArchive',
        summary: 'The package (application/zip): bearer token, or ?token= from a download link',
        tags: ['archive'],
        params: ArchiveParams,
        querystring: PackageQuery,
      },
    },
    async (req, reply) => {
      const { row, data } = await readArchivePackage(archiveCtx(req), req.params.id, {
        token: req.query.token,
        secret: app.deps.settings.jwtSecret,
      });
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${row.fileName}"`)
        .header('x-content-sha256', row.sha256)
        .header('cache-control', 'private, no-store')
        .send(data);
    },
  );
};
