import {
  AccountDetail,
  AccountEventList,
  AccountEventQuery,
  AccountIdParams,
  AccountList,
  AccountListQuery,
  AccountPeople,
  AccountPeopleQuery,
  AccountSessionParams,
  AccountView,
  BindWechatInput,
  ChangePasswordInput,
  CreateStaffAccountInput,
  MyPhone,
  OneTimePasswordView,
  PhoneCodeInput,
} from '@gongzhi/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { requireReach } from '../services/accounts/account-access';
import { listAccountEvents } from '../services/accounts/account-log';
import { bindOwnWechat, bindWechat, unbindWechat } from '../services/accounts/bind-wechat';
import { createStaffAccount } from '../services/accounts/create-staff-account';
import { endAccountSession } from '../services/accounts/end-account-session';
import { getAccount } from '../services/accounts/get-account';
import { listAccountPeople } from '../services/accounts/list-account-people';
import { listAccounts } from '../services/accounts/list-accounts';
import { readOwnPhone, setOwnPhone } from '../services/accounts/own-phone';
import { resetPassword } from '../services/accounts/reset-password';
import { setAccountDisabled } from '../services/accounts/set-account-disabled';
import { changeOwnPassword } from '../services/auth/change-password';
import { WechatLoginInput, wechatOpenid } from '../services/auth/wechat-login';
import { wechatPhoneNumber } from '../services/auth/wechat-phone-number';

/**
 * 账号与人员: administrators (and a community's leadership group when its config allows) manage
 * accounts; every action lands in the append-only account log. Every signed-in person changes their
 * own password here too.
 */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  // Checked before the request is validated: a non-administrator is told 403 whatever they send.
  const manages = async (req: FastifyRequest) => {
    await app.authenticate(req);
    requireReach(app.ctx(req));
  };
  const admin = { onRequest: [manages] };
  const tags = ['accounts'];

  app.get(
    '/api/admin/accounts',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'listAccounts',
        summary: 'All accounts, with their state',
        tags,
        querystring: AccountListQuery,
        response: { 200: AccountList },
      },
    },
    async (req) => listAccounts(app.ctx(req), req.query),
  );

  app.post(
    '/api/admin/accounts',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'createStaffAccount',
        summary: "Create a staff account for a person of a community's configuration",
        tags,
        body: CreateStaffAccountInput,
        response: { 201: OneTimePasswordView },
      },
    },
    async (req, reply) => reply.status(201).send(await createStaffAccount(app.ctx(req), req.body)),
  );

  app.get(
    '/api/admin/account-people',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'listAccountPeople',
        summary: 'People of the configurations, with their account if any',
        tags,
        querystring: AccountPeopleQuery,
        response: { 200: AccountPeople },
      },
    },
    async (req) => listAccountPeople(app.ctx(req), req.query.community),
  );

  app.get(
    '/api/admin/account-events',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'listAccountEvents',
        summary: "An account's history (created, disabled, password reset, …)",
        tags,
        querystring: AccountEventQuery,
        response: { 200: AccountEventList },
      },
    },
    async (req) => listAccountEvents(app.ctx(req), req.query),
  );

  app.get(
    '/api/admin/accounts/:id',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'getAccount',
        summary: 'One account with its sessions',
        tags,
        params: AccountIdParams,
        response: { 200: AccountDetail },
      },
    },
    async (req) => getAccount(app.ctx(req), req.params.id),
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/admin/accounts/:id/${verb}`,
      {
        ...admin,
        schema: {
          security: BEARER,
          operationId: `${verb}Account`,
          summary: disabled
            ? 'Disable an account (its sessions end at once)'
            : 'Enable a disabled account again',
          tags,
          params: AccountIdParams,
          response: { 200: AccountView },
        },
      },
      async (req) => setAccountDisabled(app.ctx(req), req.params.id, disabled),
    );
  }

  app.post(
    '/api/admin/accounts/:id/reset-password',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'resetAccountPassword',
        summary: 'Give an account a one-time password (it must change it at the next sign-in)',
        tags,
        params: AccountIdParams,
        response: { 200: OneTimePasswordView },
      },
    },
    async (req) => resetPassword(app.ctx(req), req.params.id),
  );

  app.post(
    '/api/admin/accounts/:id/sessions/:sessionId/end',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'endAccountSession',
        summary: "End one of an account's sessions",
        tags,
        params: AccountSessionParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await endAccountSession(app.ctx(req), req.params.id, req.params.sessionId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/admin/accounts/:id/wechat',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'bindAccountWechat',
        summary: 'Bind a WeChat openid to a staff account',
        tags,
        params: AccountIdParams,
        body: BindWechatInput,
        response: { 200: AccountView },
      },
    },
    async (req) => bindWechat(app.ctx(req), req.params.id, req.body.openid),
  );

  app.delete(
    '/api/admin/accounts/:id/wechat',
    {
      ...admin,
      schema: {
        security: BEARER,
        operationId: 'unbindAccountWechat',
        summary: "Remove a staff account's WeChat binding",
        tags,
        params: AccountIdParams,
        response: { 200: AccountView },
      },
    },
    async (req) => unbindWechat(app.ctx(req), req.params.id),
  );

  app.post(
    '/api/me/password',
    {
      onRequest: [app.authenticate],
      // The old password is checked here: guessing it is slowed like a login.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        security: BEARER,
        operationId: 'changeOwnPassword',
        summary: 'Change my password (ends my other sessions)',
        tags,
        body: ChangePasswordInput,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await changeOwnPassword(app.ctx(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/wechat',
    {
      onRequest: [app.authenticate],
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        security: BEARER,
        operationId: 'bindOwnWechat',
        summary: 'A staff member binds their own WeChat (a wx.login code) and then signs in with it',
        tags,
        body: WechatLoginInput,
        response: { 200: z.object({ wechatBound: z.literal(true) }) },
      },
    },
    async (req) => {
      const s = app.deps.settings;
      const openid = await wechatOpenid(
        { appid: s.WECHAT_APPID, secret: s.WECHAT_SECRET, apiBase: s.WECHAT_API_BASE },
        req.body.code,
      );
      return bindOwnWechat(app.ctx(req), openid);
    },
  );

  // The optional phone through WeChat's getPhoneNumber button: the code is exchanged here, on the
  // server, and the number kept on the caller's account. Each route has its own onRequest array
  // (the rate limiter appends its hook to it).
  app.get(
    '/api/me/phone',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'getOwnPhone',
        summary: 'The phone the caller gave through WeChat, whole (everyone else sees it masked)',
        tags,
        response: { 200: MyPhone },
      },
    },
    async (req) => readOwnPhone(app.ctx(req)),
  );

  app.post(
    '/api/me/phone',
    {
      onRequest: [app.authenticate],
      // 422: WeChat no longer honours the code, or the number is not a mainland one.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' }, errorAnswers: [422] },
      schema: {
        security: BEARER,
        operationId: 'setOwnPhone',
        summary: "The getPhoneNumber button's code, exchanged with WeChat for the caller's phone number",
        tags,
        body: PhoneCodeInput,
        response: { 200: MyPhone },
      },
    },
    async (req) => {
      const phone = await wechatPhoneNumber(app.wechatTokens, app.deps.settings.WECHAT_APPID, req.body.code);
      return setOwnPhone(app.ctx(req), phone);
    },
  );

  app.delete(
    '/api/me/phone',
    {
      onRequest: [app.authenticate],
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        security: BEARER,
        operationId: 'removeOwnPhone',
        summary: 'Forget the phone the caller gave through WeChat',
        tags,
        response: { 200: MyPhone },
      },
    },
    async (req) => setOwnPhone(app.ctx(req), null),
  );
};
