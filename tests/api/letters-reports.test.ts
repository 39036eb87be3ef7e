import type {
  AgendaPlacementView,
  EvaluationReportView,
  LetterPage,
  LetterProposalPage,
  LetterProposalView,
  LetterView,
} from '@gongzhi/domain';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import {
  issueRatingsTable,
  issuesTable,
  jointMeetingsTable,
  letterProposalsTable,
  lettersTable,
  outboxTable,
} from '../../apps/api/src/db/schema';
import { proposeLettersFromPressure } from '../../apps/api/src/services/followup/pressure';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { type DemoQuarter, SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';
import { complain, issueIdOf } from '../helpers/issue-flow';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

// 夏朵园's 2026Q3 lived through the API, then: letters by hand and the clock's proposals (seed 001
// §七.3), the property manager's annual 述职, the evaluation report with the joint-meeting cadence.
const Q3_START = new Date('2026-06-30T16:00:00Z');
let t: TestApp;
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
let demo: DemoQuarter;
let leader: Session; // 闻良, leads the leadership group
let secretary: Session; // 屠忠梅
let zhangLifen: Session; // property specialist of zone 1
let zhangNen: Session; // residents' committee, zone 1

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  demo = await seedDemoQuarter(t, clock, Q3_START, t.runFollowUp);
  clock.set(new Date('2026-10-10T02:00:00Z'));
  leader = await t.loginAs('wen-liang');
  secretary = await t.loginAs('tu-zhongmei');
  zhangLifen = await t.loginAs('zhang-lifen');
  zhangNen = await t.loginAs('zhang-nen');
}, SEED_TIMEOUT);
afterAll(() => t.close());

const get = (s: Session, url: string) => t.app.inject({ url, headers: s.auth });
const post = (s: Session, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: s.auth, ...(payload ? { payload } : {}) });

describe('letters by hand', () => {
  test('the leadership may issue (the page says so); an organisation member may not', async () => {
    const mine = await get(leader, '/api/letters?community=xiaduoyuan');
    expect(mine.statusCode).toBe(200);
    expect((mine.json() as LetterPage).allowedActions).toEqual(['issue']);
    const theirs = await get(zhangLifen, '/api/letters?community=xiaduoyuan');
    expect((theirs.json() as LetterPage).allowedActions).toEqual([]);

    const issue = demo.issues[0]!;
    const refused = await post(secretary, '/api/letters', {
      community: 'xiaduoyuan',
      kind: 'warning',
      org: 'property',
      reason: '群众反映强烈的问题长期未处理',
      issues: [issue],
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('letters_issue_not_permitted');
  });

  test('invalid letters are refused with a field path and nothing is written', async () => {
    const [before] = await t.db.select({ n: count() }).from(lettersTable);
    const cases: [object, string][] = [
      [{ community: 'xiaduoyuan', kind: 'scold', org: 'property', reason: '物业长期不处理' }, 'kind'],
      [{ community: 'xiaduoyuan', kind: 'warning', org: 'nobody', reason: '物业长期不处理' }, 'org'],
      [{ community: 'xiaduoyuan', kind: 'warning', org: 'property', reason: '短' }, 'reason'],
      [
        {
          community: 'xiaduoyuan',
          kind: 'warning',
          org: 'property',
          reason: '物业长期不处理',
          issues: ['00000000-0000-4000-8000-000000000000'],
        },
        'issues[0]',
      ],
    ];
    for (const [payload, field] of cases) {
      const r = await post(leader, '/api/letters', payload);
      expect(r.statusCode).toBe(400);
      expect(JSON.stringify(r.json().error.details ?? [])).toContain(field);
    }
    const [after] = await t.db.select({ n: count() }).from(lettersTable);
    expect(after!.n).toBe(before!.n);
  });

  test('a 警示函 issued by hand is numbered, cites its issue, is on the issue record, and the company acknowledges it', async () => {
    const issue = demo.issues[1]!;
    const [{ last } = { last: 0 }] = await t.db
      .select({ last: sql<number>`coalesce(max(${lettersTable.seq}), 0)`.mapWith(Number) })
      .from(lettersTable)
      .where(and(eq(lettersTable.kind, 'warning'), eq(lettersTable.year, 2026)));
    const r = await post(leader, '/api/letters', {
      community: 'xiaduoyuan',
      kind: 'warning',
      org: 'property',
      reason: '电梯故障群众反映强烈，屡经提醒仍未彻底修复',
      issues: [issue],
    });
    expect(r.statusCode).toBe(201);
    const letter = r.json() as LetterView;
    expect(letter).toMatchObject({ kind: 'warning', kindName: '警示函', org: 'property' });
    expect(letter.number).toBe(`夏朵园居民区警示〔2026〕${last + 1}号`);
    expect(letter.issues.map((i) => i.id)).toEqual([issue]);
    expect(letter.text).toContain('电梯故障群众反映强烈');
    const [row] = await t.db.select().from(lettersTable).where(eq(lettersTable.id, letter.id));
    expect(row!.issuedBy).toBe('wen-liang');

    const history = await get(leader, `/api/issues/${issue}`);
    expect(JSON.stringify(history.json())).toContain(letter.number);

    const seen = (
      await get(zhangLifen, '/api/letters?community=xiaduoyuan&unacknowledged=true')
    ).json() as LetterPage;
    const mine = seen.items.find((l) => l.id === letter.id)!;
    expect(mine.allowedActions).toEqual(['acknowledge']);
    const ack = await post(zhangLifen, `/api/letters/${letter.id}/acknowledge`, { note: '已安排整改' });
    expect(ack.statusCode).toBe(200);
    expect((ack.json() as LetterView).acknowledgedAt).not.toBeNull();
  });
});

describe('proposals when residents press hard', () => {
  const pressIssue = async (id: string, reopens: number) =>
    t.db.update(issuesTable).set({ reopenCount: reopens }).where(eq(issuesTable.id, id));
  const pending = async () =>
    (
      (
        await get(leader, '/api/letter-proposals?community=xiaduoyuan&status=pending')
      ).json() as LetterProposalPage
    ).items;

  test('below the threshold nothing is proposed; at it one 警示函 proposal, once, and the leadership is told', async () => {
    const [a, b] = [demo.issues[2]!, demo.issues[3]!];
    await pressIssue(a, 1);
    await t.runFollowUp();
    expect((await pending()).filter((p) => p.issues.some((i) => i.id === a))).toEqual([]);

    await pressIssue(a, 3);
    await pressIssue(b, 4);
    const out = await t.runFollowUp();
    expect(out.letterProposals).toBeGreaterThanOrEqual(2);
    await t.runFollowUp();
    const rows = await t.db
      .select({ n: count() })
      .from(letterProposalsTable)
      .where(inArray(letterProposalsTable.key, [`issue:${a}`, `issue:${b}`]));
    expect(rows[0]!.n).toBe(2);
    const list = await pending();
    const pa = list.find((p) => p.issues.some((i) => i.id === a))!;
    expect(pa).toMatchObject({ kind: 'warning', status: 'pending', allowedActions: ['confirm', 'dismiss'] });
    expect(pa.reason).toContain('3 次投诉');
    const told = await t.db
      .select({ n: count() })
      .from(outboxTable)
      .where(
        eq(
          outboxTable.dedupeKey,
          sql`${`letter-proposal:${pa.id}:`} || ${outboxTable.accountId}::text || ':inbox'`,
        ),
      );
    expect(told[0]!.n).toBeGreaterThan(0);

    // Only the leadership sees and decides them.
    expect((await get(zhangLifen, '/api/letter-proposals?community=xiaduoyuan')).statusCode).toBe(403);
    expect((await post(secretary, `/api/letter-proposals/${pa.id}/confirm`)).statusCode).toBe(403);
  });

  test('confirming issues the letter; dismissing issues none; each decides once', async () => {
    const list = await pending();
    const [first, second] = list as [LetterProposalView, LetterProposalView];
    const [before] = await t.db.select({ n: count() }).from(lettersTable);
    const ok = await post(leader, `/api/letter-proposals/${first.id}/confirm`, { note: '同意发函' });
    expect(ok.statusCode).toBe(200);
    const confirmed = ok.json() as LetterProposalView;
    expect(confirmed).toMatchObject({ status: 'confirmed', allowedActions: [], decidedBy: '闻良' });
    const [letter] = await t.db.select().from(lettersTable).where(eq(lettersTable.id, confirmed.letterId!));
    expect(letter).toMatchObject({
      kind: 'warning',
      org: first.org,
      issueIds: first.issues.map((i) => i.id),
    });

    const again = await post(leader, `/api/letter-proposals/${first.id}/dismiss`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('letter_proposal_decided');

    const no = await post(leader, `/api/letter-proposals/${second.id}/dismiss`, { note: '已在处理' });
    expect((no.json() as LetterProposalView).status).toBe('dismissed');
    const [after] = await t.db.select({ n: count() }).from(lettersTable);
    expect(after!.n).toBe(before!.n + 1);
  });
});

describe('duplicates press too', () => {
  test('residents complaining again about the same thing (duplicates merged into it) count toward the proposal', async () => {
    const wuWenjie = await t.loginAs('wu-wenjie');
    const survivor = await complain(t, 21, '21号楼地下车库入口积水');
    const survivorId = await issueIdOf(t, survivor.trackingCode);
    const key = `issue:${survivorId}`;
    const proposals = async () =>
      (
        await t.db.select({ n: count() }).from(letterProposalsTable).where(eq(letterProposalsTable.key, key))
      )[0]!.n;
    for (let i = 1; i <= 3; i++) {
      const dup = await complain(t, 21, `21号楼车库入口又积水了（第${i}次反映）`);
      const dupId = await issueIdOf(t, dup.trackingCode);
      const r = await post(wuWenjie, `/api/issues/${dupId}/merge`, { into: survivor.trackingCode });
      expect(r.statusCode).toBe(200);
      await t.runFollowUp();
      // The threshold is three complaints on one issue: the third duplicate reaches it.
      expect(await proposals()).toBe(i < 3 ? 0 : 1);
    }
    const p = (
      (
        await get(leader, '/api/letter-proposals?community=xiaduoyuan&status=pending')
      ).json() as LetterProposalPage
    ).items.find((x) => x.issues.some((i) => i.id === survivorId))!;
    expect(p.reason).toContain('重复投诉 3 次');
  });
});

describe('each kind of complaint counts, together', () => {
  test('one reopen, one low rating and one duplicate make three complaints on an issue; a rating of 3 is not low', async () => {
    const wuWenjie = await t.loginAs('wu-wenjie');
    const issueOf = async (building: number, text: string) =>
      issueIdOf(t, (await complain(t, building, text)).trackingCode);
    const pressed = async (id: string, score: number) => {
      await t.db.update(issuesTable).set({ reopenCount: 1 }).where(eq(issuesTable.id, id));
      const [row] = await t.db
        .select({ communityId: issuesTable.communityId, code: issuesTable.code })
        .from(issuesTable)
        .where(eq(issuesTable.id, id));
      await t.db
        .insert(issueRatingsTable)
        .values({ issueId: id, communityId: row!.communityId, score, fixed: false });
      const dup = await issueOf(23, `23号楼单元门又坏了（${row!.code}）`);
      const r = await post(wuWenjie, `/api/issues/${dup}/merge`, { into: row!.code });
      expect(r.statusCode).toBe(200);
    };
    const [low, fair] = [await issueOf(23, '23号楼单元门坏了'), await issueOf(23, '23号楼单元门关不上')];
    await pressed(low, 2);
    await pressed(fair, 3);
    await t.runFollowUp();
    const keys = await t.db
      .select({ key: letterProposalsTable.key, reason: letterProposalsTable.reason })
      .from(letterProposalsTable)
      .where(inArray(letterProposalsTable.key, [`issue:${low}`, `issue:${fair}`]));
    expect(keys.map((k) => k.key)).toEqual([`issue:${low}`]);
    expect(keys[0]!.reason).toContain('3 次投诉');
  });

  test('where one complaint is enough (complaintsPerIssue 1), a low rating alone is one', async () => {
    const id = await issueIdOf(t, (await complain(t, 24, '24号楼电梯按钮失灵')).trackingCode);
    const [row] = await t.db
      .select({ communityId: issuesTable.communityId })
      .from(issuesTable)
      .where(eq(issuesTable.id, id));
    await t.db
      .insert(issueRatingsTable)
      .values({ issueId: id, communityId: row!.communityId, score: 1, fixed: false });
    const xdy = t.communities.get('xiaduoyuan')!;
    const { followUp } = xdy.config;
    const strict = {
      ...xdy,
      config: {
        ...xdy.config,
        followUp: { ...followUp, letterTriggers: { ...followUp.letterTriggers, complaintsPerIssue: 1 } },
      },
    };
    const proposed = async () =>
      (
        await t.db
          .select({ n: count() })
          .from(letterProposalsTable)
          .where(eq(letterProposalsTable.key, `issue:${id}`))
      )[0]!.n;
    await proposeLettersFromPressure({ db: t.db, now: clock.now }, xdy, row!.communityId);
    expect(await proposed()).toBe(0);
    await proposeLettersFromPressure({ db: t.db, now: clock.now }, strict, row!.communityId);
    expect(await proposed()).toBe(1);
  });
});

describe('述职 and the evaluation report', () => {
  test("the secretary lists the property company's annual 述职 with its figures filled in, once a year", async () => {
    const r = await post(secretary, '/api/joint-agenda/annual-report', {
      community: 'xiaduoyuan',
      year: 2026,
    });
    expect(r.statusCode).toBe(201);
    const item = r.json() as AgendaPlacementView;
    expect(item).toMatchObject({ title: '物业服务企业2026年度述职', source: 'annual_report' });
    const credit = (
      await get(secretary, '/api/communities/xiaduoyuan/credit?org=property&from=2026-01-01&to=2026-12-31')
    ).json();
    expect(item.briefing).toContain(`按时办结率 ${credit.onTime.numerator}/${credit.onTime.denominator}`);
    expect(item.briefing).toContain(`警示函 ${credit.warningLetters} 件`);
    expect(item.briefing).toContain('居民评议');

    expect(
      (await post(secretary, '/api/joint-agenda/annual-report', { community: 'xiaduoyuan', year: 2026 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await post(leader, '/api/joint-agenda/annual-report', { community: 'xiaduoyuan', year: 2025 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(secretary, '/api/joint-agenda/annual-report', { community: 'xiaduoyuan', year: 2031 }))
        .statusCode,
    ).toBe(400);
  });

  test('the quarterly report: four parties from their credit files, meetings held against the monthly cadence', async () => {
    const r = await get(secretary, '/api/communities/xiaduoyuan/reports/evaluation?period=2026Q3');
    expect(r.statusCode).toBe(200);
    const report = r.json() as EvaluationReportView;
    expect(report.parties.map((p) => p.org)).toEqual(['party', 'rc', 'oc', 'property']);
    const credit = (
      await get(secretary, '/api/communities/xiaduoyuan/credit?org=property&period=2026Q3')
    ).json();
    expect(report.parties[3]).toMatchObject({
      reminderLetters: credit.reminderLetters,
      warningLetters: credit.warningLetters,
      score: credit.score.score,
    });
    const held = await t.db
      .select({ at: jointMeetingsTable.at })
      .from(jointMeetingsTable)
      .where(eq(jointMeetingsTable.status, 'held'));
    const month = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    expect(report.meetings.windows.map((w) => [w.key, w.held])).toEqual(
      ['2026-07', '2026-08', '2026-09'].map((m) => [m, held.filter((h) => month(h.at) === m).length]),
    );
    expect(report.meetings.held).toBe(held.length);
    expect(report.meetings.missed).toBe(report.meetings.windows.filter((w) => w.held === 0).length);

    const print = await get(secretary, '/api/communities/xiaduoyuan/reports/evaluation/print?period=2026Q3');
    expect(print.statusCode).toBe(200);
    expect(print.headers['content-type']).toContain('text/html');
    expect(print.body).toContain(report.title);
    expect(print.body).toContain('联席会议制度执行情况');
    expect(print.body).toContain(report.meetings.summary);
  });

  test('the annual report; no report of the future; only those who read everything', async () => {
    const year = await get(leader, '/api/communities/xiaduoyuan/reports/evaluation?period=2026');
    expect(year.statusCode).toBe(200);
    expect((year.json() as EvaluationReportView).meetings.windows).toHaveLength(12);
    const future = await get(leader, '/api/communities/xiaduoyuan/reports/evaluation?period=2027Q1');
    expect(future.statusCode).toBe(409);
    expect(future.json().error.code).toBe('report_period_future');
    const bad = await get(leader, '/api/communities/xiaduoyuan/reports/evaluation?period=Q9');
    expect(bad.statusCode).toBe(400);
    expect(
      (await get(zhangNen, '/api/communities/xiaduoyuan/reports/evaluation?period=2026Q3')).statusCode,
    ).toBe(403);
  });

  test('a month without a joint meeting reminds the secretary, once', async () => {
    // Inbox rows of the reminder titled so; each of the secretary's accounts gets one, once.
    const reminders = async (title: string) => {
      const rows = await t.db
        .select({ account: outboxTable.accountId })
        .from(outboxTable)
        .where(
          and(
            eq(outboxTable.kind, 'joint_meeting_missed'),
            eq(outboxTable.channel, 'inbox'),
            sql`${outboxTable.payload}->>'title' = ${title}`,
          ),
        );
      const accounts = new Set(rows.map((r) => r.account)).size;
      expect(rows.length).toBe(accounts);
      return accounts > 0;
    };
    const q3 = (await get(secretary, '/api/communities/xiaduoyuan/reports/evaluation?period=2026Q3')).json()
      .meetings.windows as { key: string; held: number }[];
    // 10 October: September is the month just ended; a reminder exactly when none was held, however many passes.
    await t.runFollowUp();
    await t.runFollowUp();
    expect(await reminders('2026年9月未召开联席会议')).toBe(q3[2]!.held === 0);
    expect(await reminders('2026年10月未召开联席会议')).toBe(false);
    // October passes with no meeting.
    clock.set(new Date('2026-11-02T02:00:00Z'));
    await t.runFollowUp();
    await t.runFollowUp();
    expect(await reminders('2026年10月未召开联席会议')).toBe(true);
  });
});
