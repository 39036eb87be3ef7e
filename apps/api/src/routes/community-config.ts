import {
  AdminCommunityList,
  CommunityParams,
  CommunityPeopleView,
  ConfigEditInput,
  ConfigEditResult,
  ConfigVersionPage,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { editCommunityConfig } from '../services/community-config/edit-community-config';
import { listAdminCommunities, listConfigVersions } from '../services/community-config/list-config-versions';
import { readCommunityPeople } from '../services/community-config/read-community-people';

/**
 * Administrators: the people, zone memberships and roles of a community, edited at run time as
 * versions of its configuration (issue 13, item 2), and the list of versions with their diffs.
 */
export const communityConfigRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/admin/communities',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'listAdminCommunities',
        summary: 'The communities and their current configuration versions',
        tags: ['admin'],
        response: { 200: AdminCommunityList },
      },
    },
    async (req) => listAdminCommunities(app.ctx(req)),
  );
  app.get(
    '/api/admin/communities/:key/people',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'readCommunityPeople',
        summary: "A community's people, zones and posts, for editing",
        tags: ['admin'],
        params: CommunityParams,
        response: { 200: CommunityPeopleView },
      },
    },
    async (req) => readCommunityPeople(app.ctx(req), req.params.key),
  );
  app.post(
    '/api/admin/communities/:key/config-versions',
    {
      onRequest: [app.requireAdmin],
      // 422: the edit changes nothing, or the configuration it makes does not validate.
      config: { errorAnswers: [422] },
      schema: {
        security: BEARER,
        operationId: 'editCommunityConfig',
        summary: '修改人员、区域成员与职务：校验后保存为新的配置版本，各实例数秒内生效',
        tags: ['admin'],
        params: CommunityParams,
        body: ConfigEditInput,
        response: { 201: ConfigEditResult },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await editCommunityConfig(app.ctx(req), req.params.key, req.body)),
  );
  app.get(
    '/api/admin/communities/:key/config-versions',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'listConfigVersions',
        summary: "A community's configuration versions, newest first",
        tags: ['admin'],
        params: CommunityParams,
        querystring: z.strictObject({
          before: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: ConfigVersionPage },
      },
    },
    async (req) => listConfigVersions(app.ctx(req), req.params.key, req.query),
  );
};
