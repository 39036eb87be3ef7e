import {
  AgendaPlacementView,
  AnnualReportItemInput,
  CommunityParams,
  DecideLetterProposalInput,
  EvaluationReportQuery,
  EvaluationReportView,
  IdParams,
  IssueLetterInput,
  LetterProposalPage,
  LetterProposalView,
  LetterView,
  ListLetterProposalsQuery,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BEARER } from '../plugins/auth';
import { FILE_TYPES } from '../plugins/openapi';
import {
  decideLetterProposal,
  getLetter,
  issueLetterByHand,
  listLetterProposals,
} from '../services/followup/letters-by-hand';
import { addAnnualReportItem } from '../services/meetings/add-annual-report-item';
import { evaluationReport, printEvaluationReport } from '../services/reports/evaluation-report';

/**
 * Letters by hand and the clock's proposals (seed 001 §七.3), the property manager's annual 述职 on
 * the joint meeting's agenda, and the quarterly and annual evaluation report (seed 001 §七.4).
 */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };

  app.post(
    '/api/letters',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getLetter(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'issueLetter',
        summary: 'The leadership issues a 提示函 / 警示函 by hand to an organisation, citing issues',
        tags: ['letters'],
        body: IssueLetterInput,
        response: { 201: LetterView },
      },
    },
    async (req, reply) => reply.status(201).send(await issueLetterByHand(app.ctx(req), req.body)),
  );
  app.get(
    '/api/letter-proposals',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listLetterProposals',
        summary:
          'Letters the follow-up clock proposes when residents press hard, for the leadership to decide',
        tags: ['letters'],
        querystring: ListLetterProposalsQuery,
        response: { 200: LetterProposalPage },
      },
    },
    async (req) => listLetterProposals(app.ctx(req), req.query),
  );
  for (const decision of ['confirm', 'dismiss'] as const) {
    app.post(
      `/api/letter-proposals/:id/${decision}`,
      {
        ...auth,
        schema: {
          security: BEARER,
          operationId: decision === 'confirm' ? 'confirmLetterProposal' : 'dismissLetterProposal',
          summary:
            decision === 'confirm'
              ? 'The leadership confirms a proposal: the letter is issued'
              : 'The leadership dismisses a proposal: no letter',
          tags: ['letters'],
          params: IdParams('发函建议'),
          body: DecideLetterProposalInput.nullish(),
          response: { 200: LetterProposalView },
        },
      },
      async (req) => decideLetterProposal(app.ctx(req), req.params.id, decision, req.body ?? {}),
    );
  }

  app.post(
    '/api/joint-agenda/annual-report',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'addAnnualReportItem',
        summary:
          "The secretary lists the property manager's annual 述职, its KPIs, credit file and evaluation filled in",
        tags: ['meetings'],
        body: AnnualReportItemInput,
        response: { 201: AgendaPlacementView },
      },
    },
    async (req, reply) => reply.status(201).send(await addAnnualReportItem(app.ctx(req), req.body)),
  );

  app.get(
    '/api/communities/:key/reports/evaluation',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'evaluationReport',
        summary:
          'The quarterly (2026Q3) or annual (2026) evaluation report of the four parties, with the joint-meeting cadence',
        tags: ['reports'],
        params: CommunityParams,
        querystring: EvaluationReportQuery,
        response: { 200: EvaluationReportView },
      },
    },
    async (req) => evaluationReport(app.ctx(req), req.params.key, req.query),
  );
  app.get(
    '/api/communities/:key/reports/evaluation/print',
    {
      ...auth,
      config: { fileTypes: FILE_TYPES.HTML },
      schema: {
        security: BEARER,
        operationId: 'printEvaluationReport',
        summary: 'The same report as a printable A4 HTML page (the browser prints it to PDF)',
        tags: ['reports'],
        params: CommunityParams,
        querystring: EvaluationReportQuery,
      },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(await printEvaluationReport(app.ctx(req), req.params.key, req.query)),
  );
};
