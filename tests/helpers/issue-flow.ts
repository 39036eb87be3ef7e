import type { ComplaintView, IssueDetail, TaskView } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issuesTable } from '../../apps/api/src/db/schema';
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
