import {
  DispatchIssueInput,
  IdParams,
  ListTasksQuery,
  RatingInput,
  ReassignTaskInput,
  RejectFixInput,
  ReportBackInput,
  ResolveTaskInput,
  ReturnTaskInput,
  TaskPage,
  TaskView,
  VerifyIssueInput,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BEARER } from '../plugins/auth';
import { rateIssue } from '../services/issues/rate-issue';
import { actOnTask } from '../services/tasks/act-on-task';
import { dispatchIssue, recordReportBack, rejectFix, verifyIssue } from '../services/tasks/issue-work';
import { listTasks } from '../services/tasks/list-tasks';
import { issueStepRoute } from './issue-step-route';

const TaskIdParams = IdParams('任务');
const NoBody = z.strictObject({}).nullish();

/** Dispatch and follow-through (docs/domain.md §6): the task inbox, task steps, re-dispatch, verification, report-backs. */
export const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/tasks',
    {
      onRequest: [app.authenticate],
      schema: {
        security: BEARER,
        operationId: 'listTasks',
        summary: 'Tasks dispatched to me (view=mine) or on the issues I own or manage (view=owned)',
        tags: ['tasks'],
        querystring: ListTasksQuery,
        response: { 200: TaskPage },
      },
    },
    async (req) => listTasks(app.ctx(req), req.query),
  );

  const step = <B extends z.ZodType>(
    name: 'accept' | 'start' | 'return' | 'resolve' | 'reassign',
    summary: string,
    body: B,
  ) =>
    app.post(
      `/api/tasks/:id/${name}`,
      {
        onRequest: [app.authenticate],
        schema: {
          security: BEARER,
          operationId: `${name}Task`,
          summary,
          tags: ['tasks'],
          params: TaskIdParams,
          body,
          response: { 200: TaskView },
        },
      },
      async (req) =>
        actOnTask(app.ctx(req), (req.params as { id: string }).id, {
          action: name,
          ...((req.body as object | undefined) ?? {}),
        } as Parameters<typeof actOnTask>[2]),
    );
  step('accept', 'The assignee accepts the task', NoBody);
  step('start', 'The assignee starts work', NoBody);
  step('return', 'The assignee returns the task to the owner, with a reason', ReturnTaskInput);
  step('resolve', 'The assignee resolves with a note and after-photos', ResolveTaskInput);
  step('reassign', 'The owner or the property manager gives the task to someone else', ReassignTaskInput);

  issueStepRoute(
    app,
    'dispatch',
    'dispatchIssue',
    'The owner dispatches (again) to a person',
    DispatchIssueInput,
    (ctx, id, b) => dispatchIssue(ctx, id, b),
  );
  issueStepRoute(
    app,
    'verify',
    'verifyIssue',
    'The reporter or a zone inspector confirms the fix',
    VerifyIssueInput.nullish(),
    (ctx, id, b) => verifyIssue(ctx, id, b?.note),
  );
  issueStepRoute(
    app,
    'reject-fix',
    'rejectFix',
    'Not fixed (reason required): reopened and dispatched again',
    RejectFixInput,
    (ctx, id, b) => rejectFix(ctx, id, b.reason),
  );
  issueStepRoute(
    app,
    'rating',
    'rateIssue',
    'The reporter rates the resolved issue 1–5; "not fixed" (comment required) reopens it. Once per issue',
    RatingInput,
    rateIssue,
  );
  issueStepRoute(
    app,
    'report-backs',
    'recordReportBack',
    'The property company reports an emergency back to a leader',
    ReportBackInput,
    recordReportBack,
  );
};
