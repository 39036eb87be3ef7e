import {
  CommunityParams,
  DutyFeedView,
  DutyLogInput,
  DutyLogIssueInput,
  DutyLogPage,
  DutyLogQuery,
  DutyLogView,
  DutyPreferencesInput,
  DutyPreferencesView,
  DutyRangeQuery,
  FeedQuery,
  GenerateDutyInput,
  GenerateDutyResult,
  IdParams,
  IssueDetail,
  ListSwapsQuery,
  MyShiftsQuery,
  MyShiftsView,
  OnDutyNowView,
  OverrideShiftInput,
  PrintQuery,
  PublishRotaInput,
  RequestSwapInput,
  RotaView,
  ShiftView,
  SwapAnswerInput,
  SwapList,
  SwapView,
} from '@gongzhi/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCacheable } from '../lib/etag';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import {
  communityFeed,
  type FeedKeys,
  myDutyFeed,
  personFeed,
  resetDutyFeed,
} from '../services/duty/duty-feed';
import { dutyLogToIssue, getDutyLogEntry, listDutyLog, recordDutyLog } from '../services/duty/duty-log';
import { getDutyPreferences, setDutyPreferences } from '../services/duty/duty-preferences';
import { generateDuty } from '../services/duty/generate-duty';
import { overrideShift } from '../services/duty/override-shift';
import { printRota } from '../services/duty/print-rota';
import { publishRota } from '../services/duty/publish-rota';
import { getRota, myShifts, onDutyNowAnswer } from '../services/duty/read-duty';
import { answerSwap, getMySwap, listMySwaps, requestSwap } from '../services/duty/swaps';
import { getIssue } from '../services/issues/get-issue';

const NoBody = z.strictObject({}).nullish();
/** A feed token may be used instead of a bearer token where calendar apps and print links read. */
const BEARER_OR_FEED: { [label: string]: string[] }[] = [{ bearer: [] }, {}];

/** The duty rota (全岗通值班, docs/domain.md §9, issue 7): generation, reads, swaps, overrides, the duty log, feeds. */
export const dutyRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };
  const keys = (): FeedKeys => ({
    secret: app.deps.settings.jwtSecret,
    publicUrl: app.deps.settings.PUBLIC_URL,
  });
  /** Authenticate when a bearer token is sent; otherwise the service asks for a feed token. */
  const bearerIfSent = async (req: FastifyRequest) => {
    if (req.headers.authorization !== undefined) await app.authenticate(req);
  };

  app.post(
    '/api/communities/:key/duty/generate',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'generateDuty',
        summary:
          'Generate the rota for [from, to] (live at once, or with draft=true a draft of the months not planned yet, published later): started shifts, overrides and swaps are kept; returns the rota and what could not be staffed',
        tags: ['duty'],
        params: CommunityParams,
        body: GenerateDutyInput,
        response: { 200: GenerateDutyResult },
      },
    },
    async (req) => generateDuty(app.ctx(req), req.params.key, req.body),
  );

  app.post(
    '/api/communities/:key/duty/publish',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'publishRota',
        summary:
          'Publish a draft month: its shifts show to residents, feeds and print; everyone on it is told. 409 rota_has_gaps unless acceptGaps',
        tags: ['duty'],
        params: CommunityParams,
        body: PublishRotaInput,
        response: { 200: RotaView },
      },
    },
    async (req) => publishRota(app.ctx(req), req.params.key, req.body),
  );

  app.get(
    '/api/communities/:key/duty',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getRota',
        summary:
          "The rota of [from, to] (staff), drafts included, with the places nobody holds, each month's status and allowedActions",
        tags: ['duty'],
        params: CommunityParams,
        querystring: DutyRangeQuery,
        response: { 200: RotaView },
      },
    },
    async (req) => getRota(app.ctx(req), req.params.key, req.query),
  );

  app.get(
    '/api/communities/:key/duty/now',
    {
      config: { notModified: true },
      schema: {
        operationId: 'onDutyNow',
        summary:
          'Public: who is on duty now (name, organisation, and a phone only if the person chose to show it). Cacheable until it may change (a shift start or end, midnight; at most 30 s): Cache-Control public with max-age, an ETag, 304 to If-None-Match',
        tags: ['duty'],
        params: CommunityParams,
        response: { 200: OnDutyNowView },
      },
    },
    async (req, reply) =>
      sendCacheable(reply as FastifyReply, req, await onDutyNowAnswer(app.ctx(req), req.params.key)),
  );

  app.get(
    '/api/communities/:key/duty.ics',
    {
      onRequest: [bearerIfSent],
      config: { fileTypes: FILE_TYPES.ICS },
      schema: {
        security: BEARER_OR_FEED,
        operationId: 'communityDutyFeed',
        summary:
          'The community rota as an iCalendar feed (text/calendar). Staff bearer token, or ?feed=<my feed token> for calendar apps',
        tags: ['duty'],
        params: CommunityParams,
        querystring: FeedQuery,
      },
    },
    async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(await communityFeed(app.ctx(req), keys(), req.params.key, req.query)),
  );

  app.get(
    '/api/communities/:key/duty/print',
    {
      onRequest: [bearerIfSent],
      config: { fileTypes: FILE_TYPES.HTML },
      schema: {
        security: BEARER_OR_FEED,
        operationId: 'printRota',
        summary: 'The monthly rota notice as a printable A4 HTML page (a table per week)',
        tags: ['duty'],
        params: CommunityParams,
        querystring: PrintQuery,
      },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(await printRota(app.ctx(req), keys(), req.params.key, req.query)),
  );

  app.get(
    '/api/communities/:key/duty/log',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listDutyLog',
        summary: 'The duty log (接待记录), newest first, within local dates [from, to] (staff)',
        tags: ['duty'],
        params: CommunityParams,
        querystring: DutyLogQuery,
        response: { 200: DutyLogPage },
      },
    },
    async (req) => listDutyLog(app.ctx(req), req.params.key, req.query),
  );

  app.get(
    '/api/me/shifts',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'myShifts',
        summary: 'My shifts (from today for 60 days unless a range is given)',
        tags: ['duty'],
        querystring: MyShiftsQuery,
        response: { 200: MyShiftsView },
      },
    },
    async (req) => myShifts(app.ctx(req), req.query),
  );

  app.get(
    '/api/me/duty-feed',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'myDutyFeed',
        summary: 'My calendar feed URL (unguessable; the same until reset)',
        tags: ['duty'],
        response: { 200: DutyFeedView },
      },
    },
    async (req) => myDutyFeed(app.ctx(req), keys()),
  );
  app.post(
    '/api/me/duty-feed/reset',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'resetDutyFeed',
        summary: 'A new calendar feed URL; the old one stops working',
        tags: ['duty'],
        body: NoBody,
        response: { 200: DutyFeedView },
      },
    },
    async (req) => resetDutyFeed(app.ctx(req), keys()),
  );

  app.get(
    '/api/me/duty-preferences',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getDutyPreferences',
        summary: 'Whether residents see my phone while I am on duty',
        tags: ['duty'],
        response: { 200: DutyPreferencesView },
      },
    },
    async (req) => getDutyPreferences(app.ctx(req)),
  );
  app.put(
    '/api/me/duty-preferences',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'setDutyPreferences',
        summary: 'Choose whether residents see my phone while I am on duty, and which phone',
        tags: ['duty'],
        body: DutyPreferencesInput,
        response: { 200: DutyPreferencesView },
      },
    },
    async (req) => setDutyPreferences(app.ctx(req), req.body),
  );

  app.get(
    '/api/duty/feeds/:token',
    {
      config: { fileTypes: FILE_TYPES.ICS },
      schema: {
        operationId: 'personDutyFeed',
        summary: "One person's shifts as an iCalendar feed; the path is /api/duty/feeds/<token>.ics",
        tags: ['duty'],
        params: z.strictObject({
          token: z.string().regex(/^[A-Za-z0-9_-]{1,100}\.ics$/, '日历订阅地址应为 <token>.ics'),
        }),
      },
    },
    async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(await personFeed(app.ctx(req), keys(), req.params.token.slice(0, -'.ics'.length))),
  );

  app.post(
    '/api/duty/swaps',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getMySwap(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'requestSwap',
        summary:
          'Ask someone to take my shift (optionally giving me one of theirs); effective only when they accept',
        tags: ['duty'],
        body: RequestSwapInput,
        response: { 201: SwapView },
      },
    },
    async (req, reply) => reply.status(201).send(await requestSwap(app.ctx(req), req.body)),
  );
  app.get(
    '/api/duty/swaps',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listMySwaps',
        summary: 'Swap requests I asked for or was asked (default: waiting for an answer)',
        tags: ['duty'],
        querystring: ListSwapsQuery,
        response: { 200: SwapList },
      },
    },
    async (req) => listMySwaps(app.ctx(req), req.query),
  );
  for (const [action, summary] of [
    ['accept', 'The counterpart accepts: the swap is checked again and takes effect'],
    ['decline', 'The counterpart declines: the rota does not change'],
    ['cancel', 'The requester withdraws the request: the rota does not change'],
  ] as const) {
    app.post(
      `/api/duty/swaps/:id/${action}`,
      {
        ...auth,
        schema: {
          security: BEARER,
          operationId: `${action}Swap`,
          summary,
          tags: ['duty'],
          params: IdParams('换班申请'),
          body: SwapAnswerInput.nullish(),
          response: { 200: SwapView },
        },
      },
      async (req) => {
        const r = req as unknown as { params: { id: string }; body: SwapAnswerInput | null | undefined };
        return answerSwap(app.ctx(req), r.params.id, action, r.body ?? {});
      },
    );
  }

  app.put(
    '/api/duty/shifts/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'overrideShift',
        summary: 'A rota manager puts another person on one shift, with a reason; both people are told',
        tags: ['duty'],
        params: IdParams('班次'),
        body: OverrideShiftInput,
        response: { 200: ShiftView },
      },
    },
    async (req) => overrideShift(app.ctx(req), req.params.id, req.body),
  );

  app.post(
    '/api/duty/log',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getDutyLogEntry(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'recordDutyLog',
        summary: 'The person on duty records a question answered (403 when not on duty now)',
        tags: ['duty'],
        body: DutyLogInput,
        response: { 201: DutyLogView },
      },
    },
    async (req, reply) => reply.status(201).send(await recordDutyLog(app.ctx(req), req.body)),
  );
  app.get(
    '/api/duty/log/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getDutyLogEntry',
        summary: 'One duty-log entry, with the issue it became',
        tags: ['duty'],
        params: IdParams('接待记录'),
        response: { 200: DutyLogView },
      },
    },
    async (req) => getDutyLogEntry(app.ctx(req), req.params.id),
  );
  app.post(
    '/api/duty/log/:id/issue',
    {
      ...auth,
      config: {
        idempotency: { replay: async (req, id) => ({ status: 201, body: await getIssue(app.ctx(req), id) }) },
      },
      schema: {
        security: BEARER,
        operationId: 'dutyLogToIssue',
        summary: 'Turn a duty-log entry into an issue in one step (routed like any report; linked both ways)',
        tags: ['duty'],
        params: IdParams('接待记录'),
        body: DutyLogIssueInput,
        response: { 201: IssueDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await dutyLogToIssue(app.ctx(req), req.params.id, req.body)),
  );
};
