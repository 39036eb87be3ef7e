import type { IssueDetail } from '@gongzhi/domain';
import { issueRatingsTable } from '../../apps/api/src/db/schema';
import { communityId } from '../../apps/api/src/services/communities/community-id';
import type { TestApp, testClock } from './build-app';
import { multipartBody, smallJpeg } from './multipart';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

/**
 * Acting as people of 夏朵园 on a test clock, for stories that span months (the KPI tests): each
 * person signs in again when their session (30 days on the test clock) is older than 20 days.
 */
export function kpiStory(t: TestApp, clock: ReturnType<typeof testClock>) {
  const sessions = new Map<string, { s: Session; since: number }>();
  async function as(person: string): Promise<Session> {
    const now = clock.now().getTime();
    const have = sessions.get(person);
    if (have && now >= have.since && now - have.since < 20 * 86_400_000) return have.s;
    const s = await t.loginAs(person);
    sessions.set(person, { s, since: now });
    return s;
  }
  async function call(person: string, method: 'GET' | 'POST', url: string, payload?: object) {
    return t.app.inject({ method, url, headers: (await as(person)).auth, ...(payload ? { payload } : {}) });
  }
  async function ok<T>(person: string, method: 'GET' | 'POST', url: string, payload?: object, status = 200) {
    const r = await call(person, method, url, payload);
    if (r.statusCode !== status) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r.json() as T;
  }
  const file = (person: string, body: Record<string, unknown>) =>
    ok<IssueDetail>(person, 'POST', '/api/issues', { community: 'xiaduoyuan', ...body }, 201);
  const issue = (id: string) => ok<IssueDetail>('tu-zhongmei', 'GET', `/api/issues/${id}`);

  async function photo(person: string) {
    const { payload, headers } = multipartBody([
      { filename: 'after.jpg', contentType: 'image/jpeg', data: await smallJpeg() },
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...(await as(person)).auth },
    });
    if (r.statusCode !== 201) throw new Error(`photo upload → ${r.statusCode}: ${r.body}`);
    return (r.json() as { photos: { id: string }[] }).photos[0]!.id;
  }

  /** The assignee's open task: accept, then resolve (with an after-photo for property work). */
  async function resolve(id: string, person: string, withPhoto = true) {
    const task = (await issue(id)).tasks.find((x) => x.assignee.key === person && x.status === 'open');
    if (!task) throw new Error(`${person} holds no open task on ${id}`);
    await ok(person, 'POST', `/api/tasks/${task.id}/accept`);
    await ok(person, 'POST', `/api/tasks/${task.id}/resolve`, {
      note: '已处理',
      photoIds: withPhoto ? [await photo(person)] : [],
    });
  }

  /** The reporter's rating (the rating endpoints are the lead's, issue 8 part 1): one row per issue. */
  async function rate(id: string, score: number) {
    await t.db.insert(issueRatingsTable).values({
      issueId: id,
      communityId: await communityId(t.db, 'xiaduoyuan'),
      score,
      fixed: true,
      createdAt: clock.now(),
    });
  }

  /** 10:00 (or `time`) in Shanghai on a date. */
  const at = (date: string, time = '10:00') => clock.set(new Date(`${date}T${time}:00+08:00`));

  return { as, call, ok, file, issue, resolve, rate, at };
}
