import {
  COMPLAINT_LIMITS,
  ComplaintInput,
  ComplaintReceipt,
  ComplaintView,
  DomainError,
  Invalid,
  MyComplaintPage,
  MyComplaintsQuery,
  RatingInput,
  RejectFixInput,
  VerifyIssueInput,
} from '@gongzhi/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addressKey } from '../lib/client-address';
import { listMyComplaints } from '../services/complaints/my-complaints';
import { replayComplaintReceipt, submitComplaint } from '../services/complaints/submit-complaint';
import { trackComplaint } from '../services/complaints/track-complaint';
import { getCommunity, type ServiceContext } from '../services/context';
import { rateIssue } from '../services/issues/rate-issue';
import { resolveQrCode } from '../services/qr/resolve-qr-code';
import { rejectFix, verifyIssue } from '../services/tasks/issue-work';

/**
 * Residents, with or without an account: complain from a QR code, then follow the complaint with
 * its tracking code and secret. A WeChat login is optional and adds the complaint to "my list".
 */
/** The body's urgency, read by the rate limit (which runs after validation, so the body is parsed). */
const isEmergency = (req: FastifyRequest) =>
  (req.body as { urgency?: string } | undefined)?.urgency === 'emergency';

/**
 * A complaint is opened by its tracking secret (anonymous, any phone) or, without it, by the login
 * of the account that filed it (a resident signed in with WeChat).
 */
export const TrackedHeaders = z.object({
  'x-tracking-secret': z.string().min(10, '缺少查询密钥').max(100).optional(),
});
export const TRACKED_SECURITY: Record<string, string[]>[] = [{}, { bearer: [] }];
const TrackedParams = z.strictObject({ code: z.string().min(4).max(20) });

/** The community a complaint without a QR code names: an unknown key is the body's mistake (400). */
function communityOf(ctx: ServiceContext, key: string) {
  try {
    return getCommunity(ctx, key);
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'not_found')
      throw Invalid('unknown_community', `小区 "${key}" 不存在`, [
        { path: 'body.community', message: '未知小区' },
      ]);
    throw e;
  }
}

export const complaintRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/complaints',
    {
      onRequest: [app.authenticateIfSent],
      config: {
        // Per client address. The address is the socket's unless TRUST_PROXY names the proxy, so
        // a forged X-Forwarded-For does not buy a fresh allowance. Counted after the body is read
        // (and after an idempotent replay, which is not counted), because emergencies have an
        // allowance of their own that no flood of ordinary complaints uses up.
        rateLimit: {
          hook: 'preHandler',
          timeWindow: '1 minute',
          keyGenerator: (req) => (isEmergency(req) ? `emergency|${addressKey(req.ip)}` : addressKey(req.ip)),
          max: (req) =>
            isEmergency(req)
              ? COMPLAINT_LIMITS.emergenciesPerAddressPerMinute
              : COMPLAINT_LIMITS.perAddressPerMinute,
        },
        idempotency: {
          replay: async (req, id, extras) => ({
            status: 201,
            body: await replayComplaintReceipt(app.ctx(req), id, extras.secret ?? ''),
          }),
        },
      },
      schema: {
        operationId: 'submitComplaint',
        summary:
          'A resident complains from a building or facility QR code, or without one by choosing a building or zone (or neither: the triage desk places it); no account needed',
        tags: ['complaints'],
        body: ComplaintInput,
        response: { 201: ComplaintReceipt },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const { qr } = req.body;
      // With a QR code the code says where; without one, the resident's choice (the triage desk
      // places what routing cannot).
      const resolved = qr ? resolveQrCode({ ctx, secret: app.deps.settings.qrSecret, code: qr }) : null;
      const receipt = await submitComplaint(
        ctx,
        resolved
          ? {
              community: getCommunity(ctx, resolved.community.key),
              code: qr!,
              zone: resolved.zone.key,
              building: resolved.building ?? undefined,
              category: resolved.category?.key ?? null,
            }
          : {
              community: communityOf(ctx, req.body.community!),
              code: null,
              zone: req.body.zone,
              building: req.body.building,
              category: null,
            },
        req.body,
        { address: addressKey(req.ip) },
        app.contentSecurity(req),
      );
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/api/complaints/:code',
    {
      onRequest: [app.authenticateIfSent],
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        operationId: 'trackComplaint',
        summary: 'A complaint by its tracking code; the secret goes in the X-Tracking-Secret header',
        tags: ['complaints'],
        params: z.strictObject({ code: z.string().min(4).max(20) }),
        headers: TrackedHeaders,
        security: TRACKED_SECURITY,
        response: { 200: ComplaintView },
      },
    },
    async (req) => trackComplaint(app.ctx(req), req.params.code, req.headers['x-tracking-secret']),
  );

  app.post(
    '/api/complaints/:code/verify',
    {
      onRequest: [app.authenticateIfSent],
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'verifyComplaint',
        summary: 'The anonymous reporter confirms the fix (X-Tracking-Secret)',
        tags: ['complaints'],
        params: TrackedParams,
        headers: TrackedHeaders,
        security: TRACKED_SECURITY,
        body: VerifyIssueInput.nullish(),
        response: { 200: ComplaintView },
      },
    },
    async (req) => {
      const ref = { code: req.params.code, secret: req.headers['x-tracking-secret'] };
      await verifyIssue(app.ctx(req), ref, req.body?.note);
      return trackComplaint(app.ctx(req), ref.code, ref.secret);
    },
  );
  app.post(
    '/api/complaints/:code/reject-fix',
    {
      onRequest: [app.authenticateIfSent],
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'rejectComplaintFix',
        summary: 'The anonymous reporter says it is not fixed, with a reason: reopened and dispatched again',
        tags: ['complaints'],
        params: TrackedParams,
        headers: TrackedHeaders,
        security: TRACKED_SECURITY,
        body: RejectFixInput,
        response: { 200: ComplaintView },
      },
    },
    async (req) => {
      const ref = { code: req.params.code, secret: req.headers['x-tracking-secret'] };
      await rejectFix(app.ctx(req), ref, req.body.reason);
      return trackComplaint(app.ctx(req), ref.code, ref.secret);
    },
  );
  app.post(
    '/api/complaints/:code/rating',
    {
      onRequest: [app.authenticateIfSent],
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'rateComplaint',
        summary:
          'The anonymous reporter rates the resolved complaint 1–5 (X-Tracking-Secret); "not fixed" reopens it. Once per complaint',
        tags: ['complaints'],
        params: TrackedParams,
        headers: TrackedHeaders,
        security: TRACKED_SECURITY,
        body: RatingInput,
        response: { 200: ComplaintView },
      },
    },
    async (req) => {
      const ref = { code: req.params.code, secret: req.headers['x-tracking-secret'] };
      await rateIssue(app.ctx(req), ref, req.body);
      return trackComplaint(app.ctx(req), ref.code, ref.secret);
    },
  );

  app.get(
    '/api/me/complaints',
    {
      onRequest: [app.authenticate],
      schema: {
        operationId: 'listMyComplaints',
        summary: 'The complaints my account filed (a resident signed in with WeChat), newest first',
        tags: ['complaints'],
        security: [{ bearer: [] }],
        querystring: MyComplaintsQuery,
        response: { 200: MyComplaintPage },
      },
    },
    async (req) => listMyComplaints(app.ctx(req), req.query),
  );
};
