import {
  AuditPage,
  AuditQuery,
  CampaignList,
  CampaignResults,
  CampaignView,
  CheckCodeInput,
  CodeCheckView,
  CreateCampaignInput,
  DecideHomeInput,
  GenerateCodesInput,
  GeneratedCodes,
  HomeList,
  HomePage,
  HomeView,
  IdParams,
  ListCampaignsQuery,
  ListHomeRequestsQuery,
  RequestHomeInput,
  RespondentView,
  RespondInput,
  ResponseReceipt,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import { getCampaign } from '../services/evaluation/campaign-store';
import { createCampaign, listCampaigns, stepCampaign } from '../services/evaluation/campaigns';
import { checkCode, generateCodes } from '../services/evaluation/codes';
import {
  cancelMyHome,
  decideHomeRequest,
  listHomeRequests,
  listMyHomes,
  requestHome,
} from '../services/evaluation/homes';
import { respond, respondentView } from '../services/evaluation/respond';
import { auditResponses, readResults } from '../services/evaluation/results';
import { renderSlips } from '../services/evaluation/slips';

const CampaignParams = IdParams('评议活动');
const HomeParams = IdParams('房屋绑定');
const NoBody = z.strictObject({}).nullish();
/** Public where residents read; a bearer token, when sent, shows the leadership's view. */
const OPTIONAL_BEARER: { [label: string]: string[] }[] = [{ bearer: [] }, {}];
/** Codes are typed by people, not scripts: per address, enough for a family, too few to guess. */
const CODE_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

/**
 * The quarterly residents' evaluation (评议, issue 8): campaigns run by the leadership group,
 * households identified by a verified resident account or a one-time code, one response each,
 * aggregate results, and an audit list that names households but never their answers.
 */
export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };
  // A new array per route: the rate limiter appends its hook to a route's onRequest array.
  const optionalAuth = () => ({ onRequest: [app.authenticateIfSent] });

  // ── campaigns ───────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/evaluations',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'createEvaluation',
        summary: 'The leadership group prepares a quarter’s campaign (draft); default questions unless given',
        tags: ['evaluation'],
        body: CreateCampaignInput,
        response: { 201: CampaignView },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const id = await createCampaign(ctx, req.body);
      return reply.status(201).send(await getCampaign(ctx, id));
    },
  );

  app.get(
    '/api/evaluations',
    {
      ...optionalAuth(),
      schema: {
        security: OPTIONAL_BEARER,
        operationId: 'listEvaluations',
        summary: 'A community’s campaigns, newest first (drafts for the leadership only)',
        tags: ['evaluation'],
        querystring: ListCampaignsQuery,
        response: { 200: CampaignList },
      },
    },
    async (req) => listCampaigns(app.ctx(req), req.query),
  );

  app.get(
    '/api/evaluations/:id',
    {
      ...optionalAuth(),
      schema: {
        security: OPTIONAL_BEARER,
        operationId: 'getEvaluation',
        summary: 'A campaign with its questionnaire; participation figures for the leadership',
        tags: ['evaluation'],
        params: CampaignParams,
        response: { 200: CampaignView },
      },
    },
    async (req) => getCampaign(app.ctx(req), req.params.id),
  );

  for (const action of ['open', 'close', 'publish'] as const) {
    app.post(
      `/api/evaluations/:id/${action}`,
      {
        ...auth,
        schema: {
          security: BEARER,
          operationId: `${action}Evaluation`,
          summary: {
            open: 'Open the campaign to responses (draft → open)',
            close: 'Stop taking responses (open → closed); the leadership may read the results',
            publish: 'Publish the results to everyone (closed → published)',
          }[action],
          tags: ['evaluation'],
          params: CampaignParams,
          body: NoBody,
          response: { 200: CampaignView },
        },
      },
      async (req) => stepCampaign(app.ctx(req), req.params.id, action),
    );
  }

  const codesRoute = (path: string, operationId: string, summary: string, html: boolean) =>
    app.post(
      path,
      {
        ...auth,
        ...(html ? { config: { fileTypes: FILE_TYPES.HTML, fileStatus: 201 } } : {}),
        schema: {
          security: BEARER,
          operationId,
          summary,
          tags: ['evaluation'],
          params: CampaignParams,
          body: GenerateCodesInput,
          ...(html ? {} : { response: { 201: GeneratedCodes } }),
        },
      },
      async (req, reply) => {
        const { title, communityName, ...batch } = await generateCodes(app.ctx(req), req.params.id, req.body);
        // The codes exist nowhere else: no cache may keep them.
        reply.header('cache-control', 'no-store').status(201);
        if (!html) return batch;
        return reply.type('text/html; charset=utf-8').send(renderSlips({ ...batch, title, communityName }));
      },
    );
  codesRoute(
    '/api/evaluations/:id/codes',
    'generateEvaluationCodes',
    'Generate one-time codes for households (a batch); the codes are in this answer only, their hashes are kept',
    false,
  );
  codesRoute(
    '/api/evaluations/:id/codes/slips',
    'printEvaluationCodes',
    'The same, answered as the printable A4 slips (text/html, eight per sheet)',
    true,
  );

  // ── answering ───────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/evaluation-codes/check',
    {
      config: CODE_LIMIT,
      schema: {
        operationId: 'checkEvaluationCode',
        summary: 'Which campaign and household a one-time code is for (before answering)',
        tags: ['evaluation'],
        body: CheckCodeInput,
        response: { 200: CodeCheckView },
      },
    },
    async (req) => checkCode(app.ctx(req), req.body.code),
  );

  app.get(
    '/api/evaluations/:id/questionnaire',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'evaluationQuestionnaire',
        summary: 'For a signed-in resident: the questionnaire, their household, and whether they may answer',
        tags: ['evaluation'],
        params: CampaignParams,
        response: { 200: RespondentView },
      },
    },
    async (req) => respondentView(app.ctx(req), req.params.id),
  );

  app.post(
    '/api/evaluations/:id/responses',
    {
      ...optionalAuth(),
      config: CODE_LIMIT,
      schema: {
        security: OPTIONAL_BEARER,
        operationId: 'respondToEvaluation',
        summary:
          'One household’s answers, with a one-time code or as a signed-in resident with a verified home. A second response from the household → 409 already_responded',
        tags: ['evaluation'],
        params: CampaignParams,
        body: RespondInput,
        response: { 201: ResponseReceipt },
      },
    },
    async (req, reply) => reply.status(201).send(await respond(app.ctx(req), req.params.id, req.body)),
  );

  app.get(
    '/api/evaluations/:id/results',
    {
      ...optionalAuth(),
      // A read that the campaign's state refuses (not closed yet).
      config: { errorAnswers: [409] },
      schema: {
        security: OPTIONAL_BEARER,
        operationId: 'evaluationResults',
        summary: 'Aggregate results: the leadership once closed, everyone once published',
        tags: ['evaluation'],
        params: CampaignParams,
        response: { 200: CampaignResults },
      },
    },
    async (req) => readResults(app.ctx(req), req.params.id),
  );

  app.get(
    '/api/evaluations/:id/audit',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'auditEvaluation',
        summary:
          'Leadership: each response’s household, channel, credential, time and receipt (never the answers)',
        tags: ['evaluation'],
        params: CampaignParams,
        querystring: AuditQuery,
        response: { 200: AuditPage },
      },
    },
    async (req) => auditResponses(app.ctx(req), req.params.id, req.query),
  );

  // ── households ──────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/me/homes',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'requestHome',
        summary: 'A resident asks to be bound to a household (building + room); the zone’s staff verify it',
        tags: ['evaluation'],
        body: RequestHomeInput,
        response: { 201: HomeView },
      },
    },
    async (req, reply) => reply.status(201).send(await requestHome(app.ctx(req), req.body)),
  );

  app.get(
    '/api/me/homes',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'myHomes',
        summary: 'The resident’s household bindings and their status',
        tags: ['evaluation'],
        response: { 200: HomeList },
      },
    },
    async (req) => listMyHomes(app.ctx(req)),
  );

  app.post(
    '/api/me/homes/:id/cancel',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'cancelHome',
        summary: 'Withdraw a request or give up a binding (responses already given stand)',
        tags: ['evaluation'],
        params: HomeParams,
        body: NoBody,
        response: { 200: HomeView },
      },
    },
    async (req) => cancelMyHome(app.ctx(req), req.params.id),
  );

  app.get(
    '/api/home-requests',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listHomeRequests',
        summary: 'Household binding requests in the zones the caller verifies (rc, oc, grid), newest first',
        tags: ['evaluation'],
        querystring: ListHomeRequestsQuery,
        response: { 200: HomePage },
      },
    },
    async (req) => listHomeRequests(app.ctx(req), req.query),
  );

  app.post(
    '/api/home-requests/:id/decide',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'decideHomeRequest',
        summary: 'A zone’s rc, oc or grid person verifies (or refuses) a household binding',
        tags: ['evaluation'],
        params: HomeParams,
        body: DecideHomeInput,
        response: { 200: HomeView },
      },
    },
    async (req) => decideHomeRequest(app.ctx(req), req.params.id, req.body),
  );
};
