import { DomainError, Me, Tokens } from '@gongzhi/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, auditActorOf, phoneRef } from '../lib/audit';
import { addressKey } from '../lib/client-address';
import { deriveKey } from '../lib/secrets';
import { BEARER } from '../plugins/auth';
import { whoAmIText } from '../services/accounts/who-am-i';
import { logout } from '../services/auth/end-sessions';
import { LoginInput, login } from '../services/auth/login';
import { RefreshInput, refreshSession } from '../services/auth/refresh-session';
import { ACCESS_TOKEN_TTL_SECONDS } from '../services/auth/tokens';
import { devOpenid, residentSession, WechatLoginInput, wechatLogin } from '../services/auth/wechat-login';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const throttleKey = deriveKey(app.deps.settings.jwtSecret, 'login throttle v1');
  const tokens = (accountId: string, sessionId: string, refreshToken: string) => ({
    tokenType: 'Bearer' as const,
    accessToken: app.signAccessToken({ sub: accountId, sid: sessionId }),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    refreshToken,
  });
  /** The audit line of a session begun (lib/audit.ts). */
  const auditLogin = (req: FastifyRequest, r: { accountId: string; sessionId: string }, method: string) =>
    audit(req.log, {
      action: 'auth.login',
      actor: r.accountId,
      target: `session:${r.sessionId}`,
      at: app.deps.now(),
      detail: { method },
    });

  app.post(
    '/api/auth/login',
    {
      // Per address; per phone the login throttle (services/auth/login-throttle.ts) takes over.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'login',
        summary: "Sign in with a staff account's phone and password",
        tags: ['auth'],
        body: LoginInput,
        response: { 200: Tokens },
      },
    },
    async (req) => {
      const r = await login(app.ctx(req), req.body, { address: addressKey(req.ip), throttleKey }).catch(
        (err: unknown) => {
          // A refused login names the phone only by a keyed hash (lib/audit.ts phoneRef).
          if (err instanceof DomainError && (err.kind === 'unauthorized' || err.kind === 'rate_limited'))
            audit(req.log, {
              action: 'auth.login_failed',
              actor: 'anonymous',
              target: phoneRef(app.deps.settings.jwtSecret, req.body.phone),
              at: app.deps.now(),
              detail: { code: err.code },
            });
          throw err;
        },
      );
      auditLogin(req, r, 'password');
      return {
        ...tokens(r.accountId, r.sessionId, r.refreshToken),
        passwordChangeRequired: r.passwordChangeRequired,
      };
    },
  );

  app.post(
    '/api/auth/wechat',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'wechatLogin',
        summary: 'Sign in with a WeChat login code (wx.login)',
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
      auditLogin(req, r, 'wechat');
      return tokens(r.accountId, r.sessionId, r.refreshToken);
    },
  );

  // The H5 build in demo mode cannot call wx.login: it logs in as a fresh resident instead.
  if (!app.deps.settings.production) {
    app.post(
      '/api/auth/dev-resident',
      {
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          operationId: 'devResidentLogin',
          summary: 'Development only: sign in as a demo resident',
          tags: ['auth'],
          response: { 200: Tokens },
        },
      },
      async (req) => {
        const r = await residentSession(app.ctx(req), devOpenid());
        auditLogin(req, r, 'dev-resident');
        return tokens(r.accountId, r.sessionId, r.refreshToken);
      },
    );
  }

  app.post(
    '/api/auth/refresh',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'refreshToken',
        summary: 'Trade a refresh token (once) for a new pair of tokens',
        tags: ['auth'],
        body: RefreshInput,
        response: { 200: Tokens },
      },
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
        summary: 'Sign out: end the current session',
        tags: ['auth'],
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await logout(app.ctx(req), req.principal!.sessionId);
      audit(req.log, {
        action: 'auth.logout',
        ...auditActorOf(req.principal),
        target: `session:${req.principal!.sessionId}`,
        at: app.deps.now(),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'me',
        summary: 'Who I am: account, person, community, roles',
        tags: ['auth'],
        response: { 200: Me },
      },
    },
    // Checked against Me and serialized once per caller and configuration (whoAmIText); personal,
    // so never cached outside (no-store, as every answer whose route does not choose).
    async (req, reply) =>
      (reply as FastifyReply)
        .type('application/json; charset=utf-8')
        .send(whoAmIText(app.deps.communities, req.principal!)),
  );
};
