import { Me, Tokens } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { logout, setAccountDisabled } from '../services/auth/end-sessions';
import { LoginInput, login } from '../services/auth/login';
import { RefreshInput, refreshSession } from '../services/auth/refresh-session';
import { ACCESS_TOKEN_TTL_SECONDS } from '../services/auth/tokens';
import { devOpenid, residentSession, WechatLoginInput, wechatLogin } from '../services/auth/wechat-login';
import { actorIn } from '../services/context';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const tokens = (accountId: string, sessionId: string, refreshToken: string) => ({
    tokenType: 'Bearer' as const,
    accessToken: app.signAccessToken({ sub: accountId, sid: sessionId }),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    refreshToken,
  });

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { operationId: 'login', tags: ['auth'], body: LoginInput, response: { 200: Tokens } },
    },
    async (req) => {
      const r = await login(app.ctx(req), req.body);
      return tokens(r.accountId, r.sessionId, r.refreshToken);
    },
  );

  app.post(
    '/api/auth/wechat',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'wechatLogin',
        tags: ['auth'],
        body: WechatLoginInput,
        response: { 200: Tokens },
      },
    },
    async (req) => {
      const s = app.deps.settings;
      const r = await wechatLogin(
        app.ctx(req),
        { appid: s.WECHAT_APPID, secret: s.WECHAT_SECRET, apiBase: s.WECHAT_API_BASE },
        req.body.code,
      );
      return tokens(r.accountId, r.sessionId, r.refreshToken);
    },
  );

  // The H5 build in demo mode cannot call wx.login: it logs in as a fresh resident instead.
  if (!app.deps.settings.production) {
    app.post(
      '/api/auth/dev-resident',
      {
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { operationId: 'devResidentLogin', tags: ['auth'], response: { 200: Tokens } },
      },
      async (req) => {
        const r = await residentSession(app.ctx(req), devOpenid());
        return tokens(r.accountId, r.sessionId, r.refreshToken);
      },
    );
  }

  app.post(
    '/api/auth/refresh',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { operationId: 'refreshToken', tags: ['auth'], body: RefreshInput, response: { 200: Tokens } },
    },
    async (req) => {
      const r = await refreshSession(app.ctx(req), req.body.refreshToken);
      return tokens(r.accountId, r.sessionId, r.refreshToken);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'logout',
        tags: ['auth'],
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await logout(app.ctx(req), req.principal!.sessionId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      onRequest: [app.authenticate],
      schema: { security: BEARER, operationId: 'me', tags: ['auth'], response: { 200: Me } },
    },
    async (req) => {
      const p = req.principal!;
      const community = p.communityKey ? app.deps.communities.get(p.communityKey) : undefined;
      const roles = community ? actorIn(p, community).roles : null;
      return {
        account: { id: p.accountId, kind: p.kind, displayName: p.displayName },
        person:
          community && p.personKey
            ? {
                key: p.personKey,
                name: community.people.get(p.personKey)?.name ?? p.displayName,
                community: community.key,
              }
            : null,
        roles: roles && {
          zones: roles.zones,
          linesLed: roles.linesLed,
          secretary: roles.secretary,
          leadership: roles.leadership,
          propertyManager: roles.propertyManager,
        },
      };
    },
  );

  app.post(
    '/api/admin/accounts/:id/disable',
    {
      onRequest: [app.requireAdmin],
      schema: {
        security: BEARER,
        operationId: 'disableAccount',
        tags: ['admin'],
        params: z.strictObject({ id: z.string().uuid('账号编号无效') }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await setAccountDisabled(app.ctx(req), req.params.id, true);
      return reply.status(204).send(null);
    },
  );
};
