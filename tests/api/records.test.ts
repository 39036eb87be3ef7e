import { type IssueDetail, orgMembersOf } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import { lettersTable, resolutionsTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { JOINT_MEETING_PRESENT, SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';

/**
 * Records that cannot be rewritten (drizzle/0017, docs/security.md "Records"): a quarter lived
 * through the API — its vote, resolution, letter and published notice — plus progress on the
 * resolution, an owners' assembly vote and the letter's acknowledgement, all through the API. Then
 * SQL written straight at the database, as someone with its password would, tries to rewrite them.
 */
let t: TestApp;
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
const Q3_START = new Date('2026-06-30T16:00:00Z');

type Session = Awaited<ReturnType<TestApp['loginAs']>>;
const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s.auth, ...(payload !== undefined ? { payload } : {}) });

let draftId: string;
let meetingId: string;

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  await seedDemoQuarter(t, clock, Q3_START, () => t.runFollowUp());

  // The resolution's responsible person reports progress twice.
  const [resolution] = await t.db.select().from(resolutionsTable);
  const zhangLifen = await t.loginAs(resolution!.responsiblePerson);
  for (const progress of [40, 100]) {
    const r = await call(zhangLifen, 'POST', `/api/resolutions/${resolution!.id}/progress`, {
      progress,
      note: `进度 ${progress}%`,
    });
    expect(r.statusCode).toBe(200);
  }

  // The organisation acknowledges the letter the follow-up clock wrote.
  const [letter] = await t.db.select().from(lettersTable);
  const member = await t.loginAs(orgMembersOf(t.xdy, letter!.org)[0]!);
  expect(
    (await call(member, 'POST', `/api/letters/${letter!.id}/acknowledge`, { note: '已收到' })).statusCode,
  ).toBe(200);

  // An owners' assembly votes on a shared-parts issue.
  const inspector = await t.loginAs('yang-chenyi');
  const filed = await call(inspector, 'POST', '/api/issues', {
    community: 'xiaduoyuan',
    building: 40,
    category: 'public_facility',
    description: '40号楼屋面整体翻修',
    touchesSharedParts: true,
  });
  expect(filed.statusCode).toBe(201);
  const leader = await t.loginAs('wu-wenjie');
  const vote = await call(leader, 'POST', `/api/issues/${(filed.json() as IssueDetail).id}/owners-assembly`, {
    matter: 'rebuild',
    heldOn: '2026-01-05',
    totalOwners: 60,
    totalArea: 6000,
    totals: { participatingOwners: 40, participatingArea: 4000, consentingOwners: 30, consentingArea: 3000 },
  });
  expect(vote.statusCode).toBe(201);

  // A joint meeting in October votes on an item, and the chair corrects the count before any
  // resolution: two versions of the vote.
  clock.set(new Date('2026-10-12T02:00:00Z'));
  const tu = await t.loginAs('tu-zhongmei');
  const chair = await t.loginAs('wen-liang');
  const jm = await call(tu, 'POST', '/api/joint-meetings', {
    community: 'xiaduoyuan',
    at: '2026-10-15T03:00:00Z',
    place: '居委会会议室',
  });
  expect(jm.statusCode).toBe(201);
  meetingId = (jm.json() as { id: string }).id;
  const item = await call(tu, 'POST', '/api/joint-agenda', {
    community: 'xiaduoyuan',
    meeting: meetingId,
    title: '物业经理年度述职',
  });
  expect(item.statusCode).toBe(201);
  const no = (item.json() as { no: number }).no;
  clock.set(new Date('2026-10-15T04:00:00Z'));
  expect(
    (
      await call(tu, 'POST', `/api/joint-meetings/${meetingId}/attendance`, {
        present: JOINT_MEETING_PRESENT,
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (
      await call(tu, 'POST', `/api/joint-meetings/${meetingId}/items/${no}/consultation`, {
        joint: '听取述职',
      })
    ).statusCode,
  ).toBe(200);
  for (const votes of [
    { for: 10, against: 1, abstain: 2 },
    { for: 11, against: 0, abstain: 2 },
  ]) {
    const r = await call(chair, 'POST', `/api/joint-meetings/${meetingId}/items/${no}/vote`, { votes });
    expect(r.statusCode).toBe(200);
  }

  // A draft notice, still being written.
  const secretary = await t.loginAs('tu-zhongmei');
  const draft = await call(secretary, 'POST', '/api/notices', {
    community: 'xiaduoyuan',
    kind: 'joint_decision',
    title: '停水通知',
    body: '明日停水',
  });
  expect(draft.statusCode).toBe(201);
  draftId = (draft.json() as { id: string }).id;
}, SEED_TIMEOUT);

afterAll(async () => {
  await t?.close();
});

/** The database's answer to a statement: 'accepted', or the SQLSTATE and message of its refusal. */
async function attempt(statement: string): Promise<string> {
  try {
    await t.db.execute(sql.raw(statement));
    return 'accepted';
  } catch (err) {
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
      const { code, message } = e as { code?: string; message?: string };
      if (code) return `${code} ${message}`;
    }
    throw err;
  }
}

test('the story left a row in every guarded table', async () => {
  const counts = await rowsOf<{ table: string; n: number }>(sql`
    select 'owners_assemblies' as table, count(*)::int as n from owners_assemblies
    union all select 'voted items', count(*)::int from joint_agenda_items where vote_for is not null
    union all select 'locked meetings', count(*)::int from joint_meetings where minutes_status = 'locked'
    union all select 'acknowledged letters', count(*)::int from letters where acknowledged_at is not null
    union all select 'published notices', count(*)::int from notices where status = 'published'
    union all select 'resolutions', count(*)::int from resolutions
    union all select 'resolution_progress', count(*)::int from resolution_progress
    union all select 'joint_votes', count(*)::int from joint_votes`);
  for (const { table, n } of counts) expect([table, n > 0]).toEqual([table, true]);
});

const one = (table: string, where = 'true') => `(select ctid from ${table} where ${where} limit 1)`;

test.each([
  // 业主大会 votes: append-only.
  ['an owners’ vote changed', `update owners_assemblies set passed = not passed`],
  ['an owners’ vote deleted', `delete from owners_assemblies`],
  ['owners’ votes truncated', `truncate owners_assemblies cascade`],
  // Joint-meeting votes: final once resolved; a locked meeting's record is final.
  [
    'a resolved item’s vote recounted',
    `update joint_agenda_items set vote_for = vote_for + 1 where ctid = ${one('joint_agenda_items', "status = 'resolved'")}`,
  ],
  [
    'a resolved item reopened',
    `update joint_agenda_items set status = 'voted' where ctid = ${one('joint_agenda_items', "status = 'resolved'")}`,
  ],
  ['an agenda item deleted', `delete from joint_agenda_items`],
  ['agenda items truncated', `truncate joint_agenda_items cascade`],
  [
    'a vote recounted without its record',
    `update joint_agenda_items set vote_for = 12, vote_text = '改写' where status = 'voted'`,
  ],
  [
    'a vote rolled back to its first version',
    `update joint_agenda_items i set vote_for = v.vote_for, vote_against = v.vote_against, vote_text = v.vote_text
       from (select * from joint_votes where item_id = (select item_id from joint_votes order by id desc limit 1)
         order by id limit 1) v where i.id = v.item_id`,
  ],
  ['a recorded vote changed', `update joint_votes set vote_for = 13`],
  ['a recorded vote deleted', `delete from joint_votes`],
  ['recorded votes truncated', `truncate joint_votes`],
  [
    'locked minutes rewritten',
    `update joint_meetings set minutes_text = '改写' where minutes_status = 'locked'`,
  ],
  [
    'locked minutes reopened',
    `update joint_meetings set minutes_status = 'draft' where minutes_status = 'locked'`,
  ],
  ['a locked meeting deleted', `delete from joint_meetings where minutes_status = 'locked'`],
  ['joint meetings truncated', `truncate joint_meetings cascade`],
  // Letters: the text is fixed, the acknowledgement added once.
  ['a letter’s text rewritten', `update letters set text = '改写'`],
  ['a letter renumbered', `update letters set number = number || '补'`],
  [
    'an acknowledgement rewritten',
    `update letters set acknowledged_by = '他人' where acknowledged_at is not null`,
  ],
  [
    'an acknowledgement erased',
    `update letters set acknowledged_at = null where acknowledged_at is not null`,
  ],
  ['a letter deleted', `delete from letters`],
  ['letters truncated', `truncate letters cascade`],
  // Published notices: content fixed, only their end recorded.
  ['a published notice’s body rewritten', `update notices set body = '改写' where status = 'published'`],
  ['a published notice retitled', `update notices set title = '改写' where status = 'published'`],
  ['a published notice renumbered', `update notices set seq = seq + 100 where status = 'published'`],
  ['a published notice back to draft', `update notices set status = 'draft' where status = 'published'`],
  ['a published notice deleted', `delete from notices where status = 'published'`],
  ['notices truncated', `truncate notices cascade`],
  // Resolutions: what was resolved is fixed; progress entries are append-only.
  ['a resolution’s text rewritten', `update resolutions set text = '改写'`],
  ['a resolution’s due date moved', `update resolutions set due_date = due_date + 30`],
  ['a resolution deleted', `delete from resolutions`],
  ['resolutions truncated', `truncate resolutions cascade`],
  ['a progress entry rewritten', `update resolution_progress set to_progress = 10`],
  ['a progress entry deleted', `delete from resolution_progress`],
  ['progress entries truncated', `truncate resolution_progress`],
])('%s → refused (SQLSTATE 23514)', async (_what, statement) => {
  const answer = await attempt(statement);
  expect(answer).toMatch(/^23514 /);
  expect(answer).toMatch(/is a record|is append-only/);
});

test('a corrected joint vote keeps both versions; the item shows the latest', async () => {
  const versions = await rowsOf<{ vote_for: number; status: string; item_for: number }>(sql`
    select v.vote_for, i.status, i.vote_for as item_for from joint_votes v
      join joint_agenda_items i on i.id = v.item_id where v.meeting_id = ${meetingId} order by v.id`);
  expect(versions).toEqual([
    { vote_for: 10, status: 'voted', item_for: 11 },
    { vote_for: 11, status: 'voted', item_for: 11 },
  ]);
});

test('a refusal names the columns that may not change', async () => {
  expect(await attempt(`update letters set text = '改写', org = org`)).toBe(
    '23514 letters is a record: text cannot change',
  );
});

test('what the product still changes is allowed: a draft, a no-op, a published notice’s withdrawal', async () => {
  expect(await attempt(`update notices set body = '明日 8:00–12:00 停水' where id = '${draftId}'`)).toBe(
    'accepted',
  );
  expect(await attempt(`update letters set text = text`)).toBe('accepted');
  // The end of a published notice, as withdrawNotice writes it — then it is final.
  await t.db
    .transaction(async (tx) => {
      await tx.execute(
        sql.raw(`update notices set status = 'withdrawn', withdrawn_by_name = '测试', withdrawn_at = now(),
        withdraw_reason = '测试', updated_at = now() where status = 'published'`),
      );
      tx.rollback();
    })
    .catch((err: Error) => {
      if (!/rollback/i.test(err.message)) throw err;
    });
  const published = await rowsOf<{ n: number }>(
    sql`select count(*)::int as n from notices where status = 'published'`,
  );
  expect(published[0]!.n).toBeGreaterThan(0);
});

async function rowsOf<T>(query: Parameters<TestApp['db']['execute']>[0]): Promise<T[]> {
  const r: unknown = await t.db.execute(query);
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}
