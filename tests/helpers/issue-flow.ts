import type { ComplaintView, IssueDetail, TaskView } from '@gongzhi/domain';
import { count, eq } from 'drizzle-orm';
import { issueEventsTable, issueRequestsTable, issuesTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { TEST_QR_SECRET, type TestApp } from './build-app';
import { multipartBody, smallJpeg } from './multipart';

/** Steps of an issue's life through the real API, shared by the API test suites. */
export type Session = Awaited<ReturnType<TestApp['loginAs']>>;

let addr = 0;
export const qrFor = (building: number) =>
  signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building });

/** An anonymous resident's complaint through a building's QR code (each from its own address). */
export async function complain(t: TestApp, building: number, description: string, category = 'sanitation') {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: { qr: qrFor(building), category, description },
    remoteAddress: `10.45.${Math.floor(++addr / 250)}.${addr % 250}`,
  });
  expect(r.statusCode).toBe(201);
  return r.json() as { trackingCode: string; secret: string; complaint: ComplaintView };
}

export async function uploadPhoto(t: TestApp, s: Session) {
  const { payload, headers } = multipartBody([
    { filename: 'after.jpg', contentType: 'image/jpeg', data: await smallJpeg() },
  ]);
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    payload,
    headers: { ...headers, ...s.auth },
  });
  expect(r.statusCode).toBe(201);
  return (r.json() as { photos: { id: string }[] }).photos[0]!.id;
}

export async function issueById(t: TestApp, s: Session, id: string) {
  const r = await t.app.inject({ url: `/api/issues/${id}`, headers: s.auth });
  expect(r.statusCode).toBe(200);
  return r.json() as IssueDetail;
}

export const issueIdOf = async (t: TestApp, code: string) =>
  (await t.db.select({ id: issuesTable.id }).from(issuesTable).where(eq(issuesTable.code, code)))[0]!.id;

export const taskStep = (t: TestApp, s: Session, taskId: string, step: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/tasks/${taskId}/${step}`,
    headers: s.auth,
    ...(payload ? { payload } : {}),
  });

export const openTaskOf = (issue: IssueDetail, person: string) =>
  issue.tasks.find(
    (x) => x.assignee.key === person && ['open', 'accepted', 'in_progress'].includes(x.status),
  );

/** The assignee accepts, starts and resolves their open task with a note and an after-photo. */
export async function resolveTaskOf(t: TestApp, s: Session, issueId: string, person: string) {
  const task = openTaskOf(await issueById(t, s, issueId), person);
  expect(task).toBeDefined();
  for (const step of ['accept', 'start'] as const) {
    expect((await taskStep(t, s, task!.id, step)).statusCode).toBe(200);
  }
  const photo = await uploadPhoto(t, s);
  const r = await taskStep(t, s, task!.id, 'resolve', { note: '已处理完毕', photoIds: [photo] });
  expect(r.statusCode).toBe(200);
  return r.json() as TaskView;
}

export async function track(t: TestApp, code: string, secret: string) {
  const r = await t.app.inject({ url: `/api/complaints/${code}`, headers: { 'x-tracking-secret': secret } });
  expect(r.statusCode).toBe(200);
  return r.json() as ComplaintView;
}

/** One step on an issue (`POST /api/issues/:id/<path>`) as `s`. */
export const issueStep = (t: TestApp, s: Session, id: string, path: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/issues/${id}/${path}`, headers: s.auth, payload });

/** Everything a refused step could have written: events, requests, the row's update time. */
export async function writtenOnIssue(t: TestApp, id: string) {
  const [e] = await t.db
    .select({ n: count() })
    .from(issueEventsTable)
    .where(eq(issueEventsTable.issueId, id));
  const [r] = await t.db
    .select({ n: count() })
    .from(issueRequestsTable)
    .where(eq(issueRequestsTable.issueId, id));
  const [row] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, id));
  return { events: e!.n, requests: r!.n, row };
}

/** Sends a step that must be refused; checks its answer and that nothing was written. */
export async function refusedStep(
  t: TestApp,
  s: Session,
  id: string,
  path: string,
  payload: object,
  status: number,
  expected: { code?: string; path?: string; allowed?: string[] } = {},
) {
  const before = await writtenOnIssue(t, id);
  const r = await issueStep(t, s, id, path, payload);
  expect(r.statusCode).toBe(status);
  const body = (
    r.json() as {
      error: { code: string; message: string; details?: { path?: string; allowed?: string[] }[] };
    }
  ).error;
  expect(body.message).toMatch(/[\u4e00-\u9fff]/);
  if (expected.code) expect(body.code).toBe(expected.code);
  // A malformed body names `body.<field>` (the schema); a domain rule the field itself.
  if (expected.path)
    expect(body.details?.map((d) => d.path?.replace(/^body\./, ''))).toContain(expected.path);
  if (expected.allowed) expect(body.details?.[0]?.allowed).toEqual(expected.allowed);
  expect(await writtenOnIssue(t, id)).toEqual(before);
  return body;
}

/** refusedStep's arguments after the issue: path, payload, status, expected. */
export type RefusedStepRest =
  Parameters<typeof refusedStep> extends [unknown, unknown, unknown, ...infer R] ? R : never;
