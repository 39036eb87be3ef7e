import {
  AddAgendaItemBody,
  AgendaPlacementView,
  ConsultationInput,
  ConveneZoneMeetingBody,
  DeferItemBody,
  DesignateChairInput,
  EscalateIssueBody,
  FundNoticeBody,
  FundOcAckBody,
  FundOcReportBody,
  FundUseView,
  IdParams,
  IssueDetail,
  JointAttendanceInput,
  JointMeetingPage,
  JointMeetingView,
  JointMinutesBody,
  JointVoteInput,
  ListJointMeetingsQuery,
  ListResolutionsQuery,
  ListZoneMeetingsQuery,
  OwnersAssemblyBody,
  OwnersAssemblyList,
  OwnersAssemblyView,
  ProgressInput,
  ReconsiderationInput,
  ResolutionInput,
  ResolutionPage,
  ResolutionView,
  ScheduleJointMeetingBody,
  WaitingAgenda,
  WaitingAgendaQuery,
  ZoneAttendanceInput,
  ZoneMeetingPage,
  ZoneMeetingView,
  ZoneMinutesBody,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { getIssue } from '../services/issues/get-issue';
import { addAgendaItem, getAgendaPlacement } from '../services/meetings/add-agenda-item';
import { conveneZoneMeeting } from '../services/meetings/convene-zone-meeting';
import { escalateIssue } from '../services/meetings/escalate-issue';
import {
  acknowledgeFundOcReport,
  getFundUse,
  recordFundNotice,
  recordFundOcReport,
} from '../services/meetings/fund-use';
import { type JointMeetingStep, stepJointMeeting } from '../services/meetings/joint-meeting-steps';
import { getJointMeeting } from '../services/meetings/joint-meeting-store';
import {
  listJointMeetings,
  listResolutions,
  listWaitingAgenda,
} from '../services/meetings/list-meeting-records';
import { listZoneMeetings } from '../services/meetings/list-zone-meetings';
import {
  getOwnersAssembly,
  listOwnersAssemblies,
  recordOwnersAssembly,
} from '../services/meetings/owners-assembly';
import { recordJointResolution } from '../services/meetings/record-resolution';
import { recordProgress } from '../services/meetings/record-resolution-progress';
import { recordZoneAttendance } from '../services/meetings/record-zone-attendance';
import { recordZoneMinutes } from '../services/meetings/record-zone-minutes';
import { reconsiderResolution } from '../services/meetings/request-reconsideration';
import { getResolution } from '../services/meetings/resolution-store';
import { scheduleJointMeeting } from '../services/meetings/schedule-joint-meeting';
import { getZoneMeeting } from '../services/meetings/zone-meeting-store';

const ZoneMeetingParams = IdParams('区域会议');
const JointMeetingParams = IdParams('联席会议');
const ResolutionParams = IdParams('决议');
const IssueParams = IdParams('问题');
const ItemParams = z.strictObject({
  id: z.uuid('联席会议编号无效'),
  no: z.coerce.number('议题序号应为正整数').int('议题序号应为正整数').min(1, '议题序号应为正整数').max(1000),
});
const NoBody = z.strictObject({}).nullish();

/**
 * Meetings and decisions (docs/domain.md §7): zone meetings, escalation, the joint meeting with its
 * votes and resolutions, resolutions as tracked actions with re-deliberation, the owners' assembly
 * by Civil Code art. 278 and the maintenance fund's procedure.
 */
export const meetingRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = { onRequest: [app.authenticate] };

  // ── zone meetings ─────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/zone-meetings',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getZoneMeeting(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'conveneZoneMeeting',
        summary: 'The zone leader convenes a zone meeting on open zone issues; members get a notice',
        tags: ['meetings'],
        body: ConveneZoneMeetingBody,
        response: { 201: ZoneMeetingView },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const id = await conveneZoneMeeting(ctx, req.body);
      return reply.status(201).send(await getZoneMeeting(ctx, id));
    },
  );
  app.get(
    '/api/zone-meetings',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listZoneMeetings',
        summary: 'Zone meetings of the zones the caller may read, newest first',
        tags: ['meetings'],
        querystring: ListZoneMeetingsQuery,
        response: { 200: ZoneMeetingPage },
      },
    },
    async (req) => listZoneMeetings(app.ctx(req), req.query),
  );
  app.get(
    '/api/zone-meetings/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getZoneMeeting',
        summary: 'One zone meeting with its agenda, attendance, minutes and outcomes',
        tags: ['meetings'],
        params: ZoneMeetingParams,
        response: { 200: ZoneMeetingView },
      },
    },
    async (req) => getZoneMeeting(app.ctx(req), req.params.id),
  );
  app.post(
    '/api/zone-meetings/:id/attendance',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'recordZoneAttendance',
        summary: 'The zone leader records who attended (zone people only)',
        tags: ['meetings'],
        params: ZoneMeetingParams,
        body: ZoneAttendanceInput,
        response: { 200: ZoneMeetingView },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await recordZoneAttendance(ctx, req.params.id, req.body);
      return getZoneMeeting(ctx, req.params.id);
    },
  );
  app.post(
    '/api/zone-meetings/:id/minutes',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'recordZoneMinutes',
        summary:
          'The zone leader records minutes, residents’ views and per issue a plan (dispatched) or a resolution to escalate',
        tags: ['meetings'],
        params: ZoneMeetingParams,
        body: ZoneMinutesBody,
        response: { 200: ZoneMeetingView },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await recordZoneMinutes(ctx, req.params.id, req.body);
      return getZoneMeeting(ctx, req.params.id);
    },
  );
  app.post(
    '/api/issues/:id/escalate',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'escalateIssue',
        summary:
          'The zone leader escalates with a zone-meeting resolution; the issue joins the next joint meeting’s agenda',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        body: EscalateIssueBody.nullish(),
        response: { 200: IssueDetail },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await escalateIssue(ctx, req.params.id, req.body ?? {});
      return getIssue(ctx, req.params.id);
    },
  );

  // ── joint meetings ────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/joint-meetings',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getJointMeeting(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'scheduleJointMeeting',
        summary:
          'The secretary schedules a joint meeting; it takes up the items waiting for the next meeting',
        tags: ['meetings'],
        body: ScheduleJointMeetingBody,
        response: { 201: JointMeetingView },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const id = await scheduleJointMeeting(ctx, req.body);
      return reply.status(201).send(await getJointMeeting(ctx, id));
    },
  );
  app.get(
    '/api/joint-meetings',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listJointMeetings',
        summary: 'Joint meetings of a community, newest first',
        tags: ['meetings'],
        querystring: ListJointMeetingsQuery,
        response: { 200: JointMeetingPage },
      },
    },
    async (req) => listJointMeetings(app.ctx(req), req.query),
  );
  app.get(
    '/api/joint-meetings/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getJointMeeting',
        summary:
          'One joint meeting: agenda, attendance with the quorum’s arithmetic, votes, resolutions, minutes',
        tags: ['meetings'],
        params: JointMeetingParams,
        response: { 200: JointMeetingView },
      },
    },
    async (req) => getJointMeeting(app.ctx(req), req.params.id),
  );

  const meetingStep = <P extends z.ZodType, B extends z.ZodType>(
    method: 'POST' | 'PUT',
    path: string,
    operationId: string,
    summary: string,
    params: P,
    body: B,
    step: (params: z.infer<P>, body: z.infer<B>) => JointMeetingStep,
  ) =>
    app.route({
      method,
      url: `/api/joint-meetings/:id${path}`,
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId,
        summary,
        tags: ['meetings'],
        params,
        body,
        response: { 200: JointMeetingView },
      },
      handler: async (req) => {
        const ctx = app.ctx(req);
        const p = req.params as z.infer<P> & { id: string };
        await stepJointMeeting(ctx, p.id, step(p, req.body as z.infer<B>));
        return getJointMeeting(ctx, p.id);
      },
    });
  meetingStep(
    'POST',
    '/chair',
    'designateJointChair',
    'The Party secretary designates who chairs a scheduled meeting (a proposed chair acts only once designated)',
    JointMeetingParams,
    DesignateChairInput,
    (_, body) => ({ step: 'chair', body }),
  );
  meetingStep(
    'POST',
    '/attendance',
    'recordJointAttendance',
    'The secretary or chair records the members present (invitees only) and guests',
    JointMeetingParams,
    JointAttendanceInput,
    (_, body) => ({ step: 'attendance', body }),
  );
  meetingStep(
    'POST',
    '/items/:no/consultation',
    'recordConsultation',
    'The secretary or chair records the individual and joint consultation on an item',
    ItemParams,
    ConsultationInput,
    (p, body) => ({ step: 'consultation', no: p.no, body }),
  );
  meetingStep(
    'POST',
    '/items/:no/vote',
    'recordJointVote',
    'The chair records the vote (for / against / abstain, at most the members present); quorum is checked',
    ItemParams,
    JointVoteInput,
    (p, body) => ({ step: 'vote', no: p.no, body }),
  );
  meetingStep(
    'POST',
    '/items/:no/defer',
    'deferAgendaItem',
    'The chair defers an item with a reason; it is carried over to the next meeting',
    ItemParams,
    DeferItemBody,
    (p, body) => ({ step: 'defer', no: p.no, body }),
  );
  meetingStep(
    'PUT',
    '/minutes',
    'editJointMinutes',
    'The secretary or chair writes the minutes while they are a draft',
    JointMeetingParams,
    JointMinutesBody,
    (_, body) => ({ step: 'minutes', body }),
  );
  meetingStep(
    'POST',
    '/minutes/approve',
    'approveJointMinutes',
    'The chair approves the minutes, which locks the meeting',
    JointMeetingParams,
    NoBody,
    () => ({ step: 'approve' }),
  );
  app.post(
    '/api/joint-meetings/:id/items/:no/resolution',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'recordResolution',
        summary:
          'The secretary or chair records the resolution of a passed item: a tracked action; its issues are dispatched or closed',
        tags: ['meetings'],
        params: ItemParams,
        body: ResolutionInput,
        response: { 201: ResolutionView },
      },
    },
    async (req, reply) => {
      const ctx = app.ctx(req);
      const id = await recordJointResolution(ctx, req.params.id, req.params.no, req.body);
      return reply.status(201).send(await getResolution(ctx, id));
    },
  );

  app.get(
    '/api/joint-agenda',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listWaitingAgenda',
        summary: 'Items waiting for the next joint meeting to be scheduled',
        tags: ['meetings'],
        querystring: WaitingAgendaQuery,
        response: { 200: WaitingAgenda },
      },
    },
    async (req) => listWaitingAgenda(app.ctx(req), req.query.community),
  );
  app.post(
    '/api/joint-agenda',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({ status: 201, body: await getAgendaPlacement(app.ctx(req), id) }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'addAgendaItem',
        summary: 'The secretary adds an item (a topic, or issues waiting for the joint meeting) to an agenda',
        tags: ['meetings'],
        body: AddAgendaItemBody,
        response: { 201: AgendaPlacementView },
      },
    },
    async (req, reply) => reply.status(201).send(await addAgendaItem(app.ctx(req), req.body)),
  );

  // ── resolutions ───────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/resolutions',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listResolutions',
        summary: 'Joint-meeting resolutions as tracked actions, newest first',
        tags: ['meetings'],
        querystring: ListResolutionsQuery,
        response: { 200: ResolutionPage },
      },
    },
    async (req) => listResolutions(app.ctx(req), req.query),
  );
  app.get(
    '/api/resolutions/:id',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getResolution',
        summary: 'One resolution with its progress history and re-deliberations',
        tags: ['meetings'],
        params: ResolutionParams,
        response: { 200: ResolutionView },
      },
    },
    async (req) => getResolution(app.ctx(req), req.params.id),
  );
  app.post(
    '/api/resolutions/:id/progress',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'recordResolutionProgress',
        summary: 'The responsible person, chair or secretary records progress (0–100 %); reporters are told',
        tags: ['meetings'],
        params: ResolutionParams,
        body: ProgressInput,
        response: { 200: ResolutionView },
      },
    },
    async (req) => {
      const ctx = app.ctx(req);
      await recordProgress(ctx, req.params.id, req.body);
      return getResolution(ctx, req.params.id);
    },
  );
  app.post(
    '/api/resolutions/:id/reconsideration',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'requestReconsideration',
        summary:
          'A member asks for re-deliberation (复议) with a reason; the item returns to the next agenda',
        tags: ['meetings'],
        params: ResolutionParams,
        body: ReconsiderationInput,
        response: { 201: AgendaPlacementView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await reconsiderResolution(app.ctx(req), req.params.id, req.body)),
  );

  // ── owners' assembly and the maintenance fund ─────────────────────────────────────────────────
  app.post(
    '/api/issues/:id/owners-assembly',
    {
      ...auth,
      config: {
        idempotency: {
          replay: async (req, id) => ({
            status: 201,
            body: await getOwnersAssembly(app.ctx(req), (req.params as { id: string }).id, id),
          }),
        },
      },
      schema: {
        security: BEARER,
        operationId: 'recordOwnersAssembly',
        summary: 'Record an owners’ assembly vote and decide it by Civil Code art. 278, with the arithmetic',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        body: OwnersAssemblyBody,
        response: { 201: OwnersAssemblyView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordOwnersAssembly(app.ctx(req), req.params.id, req.body)),
  );
  app.get(
    '/api/issues/:id/owners-assembly',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'listOwnersAssemblies',
        summary: 'The owners’ assembly decisions on an issue',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        response: { 200: OwnersAssemblyList },
      },
    },
    async (req) => listOwnersAssemblies(app.ctx(req), req.params.id),
  );
  app.get(
    '/api/issues/:id/fund-use',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'getFundUse',
        summary: 'The maintenance-fund procedure of an issue: each step and what is missing before work',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        response: { 200: FundUseView },
      },
    },
    async (req) => getFundUse(app.ctx(req), req.params.id),
  );
  app.post(
    '/api/issues/:id/fund-use/notice',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'recordFundNotice',
        summary:
          'The 公示 of the maintenance-fund plan: a published fund notice of the issue, linked; its period runs from publication',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        body: FundNoticeBody,
        response: { 200: FundUseView },
      },
    },
    async (req) => recordFundNotice(app.ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/issues/:id/fund-use/oc-report',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'reportFundUseToOc',
        summary: 'The plan is reported to the owners’ committee, only after the notice period',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        body: FundOcReportBody.nullish(),
        response: { 200: FundUseView },
      },
    },
    async (req) => recordFundOcReport(app.ctx(req), req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/issues/:id/fund-use/oc-report/acknowledge',
    {
      ...auth,
      schema: {
        security: BEARER,
        operationId: 'acknowledgeFundOcReport',
        summary: 'A member of the owners’ committee (业委会), not the reporter, receives the report',
        tags: ['issues', 'meetings'],
        params: IssueParams,
        body: FundOcAckBody.nullish(),
        response: { 200: FundUseView },
      },
    },
    async (req) => acknowledgeFundOcReport(app.ctx(req), req.params.id, req.body ?? {}),
  );
};
