import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readiness } from '../services/health/readiness';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'health',
        summary: 'Liveness',
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      schema: {
        operationId: 'ready',
        summary: 'Readiness: the database answers (within 1.5 s) and the data disk has room',
        tags: ['health'],
        response: {
          200: z.object({
            status: z.literal('ready'),
            database: z.string(),
            freeDiskMb: z.number().optional(),
          }),
        },
      },
    },
    async () => readiness(app.deps.database, app.deps.disk, app.log),
  );
};
