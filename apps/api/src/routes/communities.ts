import { CommunityParams, PublicCommunity } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCommunity } from '../services/context';

/** What anyone (a resident with a QR code) may know of a community: zones, rosters, categories. */
export const communityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/communities/:key',
    {
      schema: {
        operationId: 'getCommunity',
        summary: "A community's public configuration (zones, buildings, categories)",
        tags: ['communities'],
        params: CommunityParams,
        response: { 200: PublicCommunity },
      },
    },
    async (req) => {
      const c = getCommunity(app.ctx(req), req.params.key);
      const name = (k: string) => c.people.get(k)?.name ?? k;
      return {
        key: c.key,
        name: c.name,
        zones: c.config.zones.map((z) => ({
          key: z.key,
          name: z.name,
          buildings: z.buildings,
          note: z.note ?? null,
          leader: { key: z.leader.person, name: name(z.leader.person) },
          members: z.members.map((m) => ({ key: m.person, name: name(m.person), org: m.org })),
        })),
        lines: c.config.lines.map((l) => ({ key: l.key, name: l.name, leader: name(l.leader!) })),
        categories: c.config.categories.map((k) => ({
          key: k.key,
          name: k.name,
          line: k.line ?? null,
          icon: k.icon ?? null,
        })),
      };
    },
  );
};
