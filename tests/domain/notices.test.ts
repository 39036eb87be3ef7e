import {
  assertMayNotice,
  CreateNoticeBody,
  EditNoticeBody,
  fundNotice,
  inNoticePeriod,
  jointDecisionNotice,
  NOTICE_STATUSES,
  type NoticeAction,
  type NoticeActor,
  type NoticeStatus,
  noticeNumber,
  noticeStep,
  readsNoticeDrafts,
  rolesOf,
  zoneRosterNotice,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const xdy = loadXiaduoyuan();
const as = (person: string): NoticeActor => ({ admin: false, roles: rolesOf(xdy, person) });
const ADMIN: NoticeActor = { admin: true, roles: null };

describe('the notice lifecycle', () => {
  // Every (action, status) pair, written out by hand: the status it leads to, or the 409 code.
  const table: [Exclude<NoticeAction, 'draft'>, NoticeStatus, NoticeStatus | string][] = [
    ['edit', 'draft', 'draft'],
    ['edit', 'approved', 'draft'],
    ['edit', 'published', 'notice_published'],
    ['edit', 'superseded', 'notice_published'],
    ['edit', 'withdrawn', 'notice_not_editable'],
    ['approve', 'draft', 'approved'],
    ['approve', 'approved', 'notice_not_draft'],
    ['approve', 'published', 'notice_not_draft'],
    ['approve', 'superseded', 'notice_not_draft'],
    ['approve', 'withdrawn', 'notice_not_draft'],
    ['publish', 'draft', 'notice_not_approved'],
    ['publish', 'approved', 'published'],
    ['publish', 'published', 'notice_not_approved'],
    ['publish', 'superseded', 'notice_not_approved'],
    ['publish', 'withdrawn', 'notice_not_approved'],
    ['withdraw', 'draft', 'withdrawn'],
    ['withdraw', 'approved', 'withdrawn'],
    ['withdraw', 'published', 'withdrawn'],
    ['withdraw', 'superseded', 'notice_not_withdrawable'],
    ['withdraw', 'withdrawn', 'notice_not_withdrawable'],
  ];
  test('the table covers every action and status', () => {
    expect(table).toHaveLength(4 * NOTICE_STATUSES.length);
  });
  test.each(table)('%s from %s → %s', (action, from, expected) => {
    if ((NOTICE_STATUSES as readonly string[]).includes(expected)) {
      expect(noticeStep(action, from)).toBe(expected);
    } else {
      const e = domainErrorOf(() => noticeStep(action, from));
      expect({ kind: e.kind, code: e.code }).toEqual({ kind: 'conflict', code: expected });
    }
  });
  test('a published notice is never edited: the refusal says how to correct it', () => {
    expect(domainErrorOf(() => noticeStep('edit', 'published')).message).toContain('更正公告');
  });
});

describe('who may do what with a notice', () => {
  // secretary 屠忠梅, leader 闻良, leadership member 陈理峰, zone-1 leader 吴文杰, zone-1 grid 杨琛怡,
  // zone-2 leader 胡圣家, line leader 周建平.
  const community = { zone: null, author: 'tu-zhongmei' };
  const zone1 = { zone: 'zone-1', author: 'wu-wenjie' };
  const table: [
    string,
    NoticeActor,
    NoticeAction,
    { zone: string | null; author: string | null },
    string | null,
  ][] = [
    ['secretary drafts for the community', as('tu-zhongmei'), 'draft', community, null],
    ['leadership drafts for a zone', as('chen-lifeng'), 'draft', zone1, null],
    ['admin drafts', ADMIN, 'draft', community, null],
    ['zone leader drafts for their zone', as('wu-wenjie'), 'edit', zone1, null],
    [
      'zone leader may not draft for the community',
      as('wu-wenjie'),
      'draft',
      community,
      'not_notice_drafter',
    ],
    ['zone leader may not draft for another zone', as('hu-shengjia'), 'draft', zone1, 'not_notice_drafter'],
    ['grid inspector may not draft', as('yang-chenyi'), 'draft', zone1, 'not_notice_drafter'],
    ['line leader may not draft', as('zhou-jianping'), 'draft', community, 'not_notice_drafter'],
    ['leadership approves the secretary’s draft', as('wen-liang'), 'approve', community, null],
    ['secretary approves a zone leader’s draft', as('tu-zhongmei'), 'approve', zone1, null],
    ['the author may not approve their own', as('tu-zhongmei'), 'approve', community, 'own_notice_approval'],
    [
      'a zone leader may not approve',
      as('wu-wenjie'),
      'approve',
      { zone: 'zone-1', author: 'tu-zhongmei' },
      'not_notice_approver',
    ],
    ['admin may not approve', ADMIN, 'approve', community, 'not_notice_approver'],
    ['the author may publish once approved', as('tu-zhongmei'), 'publish', community, null],
    ['leadership publishes', as('chen-xixian'), 'publish', zone1, null],
    ['a zone leader may not publish', as('wu-wenjie'), 'publish', zone1, 'not_notice_publisher'],
    ['admin may not publish', ADMIN, 'publish', community, 'not_notice_publisher'],
    ['secretary withdraws', as('tu-zhongmei'), 'withdraw', zone1, null],
    ['a grid inspector may not withdraw', as('yang-chenyi'), 'withdraw', zone1, 'not_notice_publisher'],
  ];
  test.each(table)('%s', (_, actor, action, notice, code) => {
    if (code === null) expect(() => assertMayNotice(actor, action, notice)).not.toThrow();
    else {
      const e = domainErrorOf(() => assertMayNotice(actor, action, notice));
      expect({ kind: e.kind, code: e.code }).toEqual({ kind: 'forbidden', code });
    }
  });
  test.each([
    ['tu-zhongmei', true],
    ['wen-liang', true],
    ['wu-wenjie', true],
    ['yang-chenyi', false],
    ['zhou-jianping', false],
  ])('%s reads drafts: %s', (person, reads) => {
    expect(readsNoticeDrafts(as(person))).toBe(reads);
  });
});

describe('the notice period and the number', () => {
  const start = new Date('2026-11-16T02:00:00Z');
  const end = new Date('2026-11-23T02:00:00Z');
  test.each([
    ['before it starts', 'published', '2026-11-16T01:59:59.999Z', false],
    ['at its start', 'published', '2026-11-16T02:00:00Z', true],
    ['the last millisecond', 'published', '2026-11-23T01:59:59.999Z', true],
    ['when it ends', 'published', '2026-11-23T02:00:00Z', false],
    ['a draft within the dates', 'draft', '2026-11-18T00:00:00Z', false],
    ['a withdrawn notice', 'withdrawn', '2026-11-18T00:00:00Z', false],
  ] as const)('%s', (_, status, now, expected) => {
    expect(inNoticePeriod({ status, periodStart: start, periodEnd: end }, new Date(now))).toBe(expected);
  });
  test('a notice without a period is never 公示中', () => {
    expect(inNoticePeriod({ status: 'published', periodStart: null, periodEnd: null }, start)).toBe(false);
  });
  test('number', () => {
    expect(noticeNumber('夏朵园居民区', 2026, 3)).toBe('夏朵园居民区公告〔2026〕3号');
  });
});

describe('generators', () => {
  test('the zone-1 roster: leader, members by organisation, contacts only for those who show one', () => {
    const draft = zoneRosterNotice(xdy, 'zone-1', (k) => (k === 'zhang-nen' ? '13800000001' : null));
    expect(draft).toMatchObject({ kind: 'zone_roster', zone: 'zone-1', title: '第一责任区域责任名单公示' });
    const lines = draft.body.split('\n');
    expect(lines).toContain('第一责任区域（1-42 号楼）');
    expect(lines).toContain('\u3000\u3000组长：吴文杰（业委会）');
    expect(lines).toContain('\u3000\u3000居委会：张嫩（13800000001）、李永康');
    expect(lines).toContain('\u3000\u3000网格巡查：杨琛怡');
    expect(lines).toContain('\u3000\u3000物业公司：张丽芬');
    expect(draft.body).not.toContain('第二责任区域');
  });
  test('all zones in one community-wide notice, with the line leaders and zone 4’s note', () => {
    const draft = zoneRosterNotice(xdy, undefined, () => null);
    expect(draft.zone).toBeNull();
    expect(draft.title).toBe('夏朵园居民区各责任区域责任名单公示');
    for (const z of ['第一', '第二', '第三', '第四']) expect(draft.body).toContain(`${z}责任区域`);
    expect(draft.body).toContain('商业街区域');
    expect(draft.body).toContain('\u3000\u3000电梯：周建平');
    expect(draft.body).toContain('楼号范围待联席会议确认');
  });
  test('an unknown zone is refused with the path and the valid zones', () => {
    const e = domainErrorOf(() => zoneRosterNotice(xdy, 'zone-9', () => null));
    expect(e.code).toBe('unknown_zone');
    expect(e.details?.[0]).toMatchObject({ path: 'body.source.zone' });
    expect(e.details?.[0]?.message).toContain('zone-1');
  });
  const decision = {
    communityName: '夏朵园居民区',
    timezone: 'Asia/Shanghai',
    meetingAt: '2026-11-25T11:00:00Z',
    chairName: '闻良',
    itemTitle: '12号楼外墙渗水',
    voteText: '赞成 11 票 / 出席 13 人',
    individualConsultation: true,
    resolution: '由物业公司修复外墙',
    responsibleOrg: 'property' as const,
    responsiblePersonName: '张丽芬',
    dueDate: '2026-12-31',
    milestones: [],
  };
  test.each([
    [true, '经个别酝酿、共同协商、民主表决，形成决议如下'],
    [false, '经共同协商、民主表决，形成决议如下'],
  ])(
    'a joint-meeting decision says 个别酝酿 only when it was recorded (%s)',
    (individualConsultation, said) => {
      const draft = jointDecisionNotice({ ...decision, individualConsultation });
      expect(draft.body).toContain(said);
      if (!individualConsultation) expect(draft.body).not.toContain('个别酝酿');
    },
  );
  test('a joint-meeting decision', () => {
    const draft = jointDecisionNotice({
      communityName: '夏朵园居民区',
      timezone: 'Asia/Shanghai',
      meetingAt: '2026-11-25T11:00:00Z',
      chairName: '闻良',
      itemTitle: '12号楼外墙渗水',
      voteText: '赞成 11 票 / 出席 13 人',
      individualConsultation: true,
      resolution: '由物业公司修复外墙',
      responsibleOrg: 'property',
      responsiblePersonName: '张丽芬',
      dueDate: '2026-12-31',
      milestones: [{ title: '搭设脚手架', dueDate: '2026-12-10' }, { title: '修复完成' }],
    });
    expect(draft).toMatchObject({
      kind: 'joint_decision',
      zone: null,
      title: '联席会议决议：12号楼外墙渗水',
    });
    expect(draft.body).toContain(
      '2026年11月25日，夏朵园居民区社区联席会议（主持人：闻良）就“12号楼外墙渗水”',
    );
    expect(draft.body).toContain('表决情况：赞成 11 票 / 出席 13 人');
    expect(draft.body).toContain('责任单位：物业公司（责任人：张丽芬），完成时限：2026年12月31日。');
    expect(draft.body).toContain('节点安排：1. 搭设脚手架（2026年12月10日前）；2. 修复完成。');
  });
  const fund = {
    timezone: 'Asia/Shanghai',
    issueCode: 'XDY-0001',
    zone: 'zone-1',
    place: '第一责任区域 12号楼',
    description: '12号楼二次供水管道老化需更换',
    plan: '更换立管，预算 8 万元',
    assembly: { passed: true, summary: '“使用维修资金”表决通过' },
    noticeDays: 7,
    noticeStartedAt: null,
  };
  test('a fund notice not yet posted: its 7 days count from publication', () => {
    const draft = fundNotice(fund);
    expect(draft).toMatchObject({
      kind: 'fund_notice',
      zone: 'zone-1',
      periodStart: null,
      periodEnd: null,
      periodDays: 7,
    });
    expect(draft.body).toContain('公示期：自本公告发布之时起 7 天。');
    expect(draft.body).toContain('方案：更换立管，预算 8 万元');
  });
  test('a fund notice already posted keeps the procedure’s period: 7 × 24 h', () => {
    const draft = fundNotice({ ...fund, noticeStartedAt: '2026-11-16T02:00:00Z' });
    expect(draft.periodStart?.toISOString()).toBe('2026-11-16T02:00:00.000Z');
    expect(draft.periodEnd?.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(draft.body).toContain('自 2026-11-16 10:00 起至 2026-11-23 10:00 止，共 7 天');
  });
  test('a fund use the owners voted down is not noticed', () => {
    const e = domainErrorOf(() => fundNotice({ ...fund, assembly: { passed: false, summary: '未通过' } }));
    expect({ kind: e.kind, code: e.code }).toEqual({ kind: 'invalid', code: 'assembly_not_passed' });
  });
});

describe('request bodies', () => {
  const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    r.error?.issues.map((i) => i.path.join('.')).sort();
  test.each([
    ['written, complete', { community: 'x', kind: 'joint_decision', title: 't', body: 'b' }, undefined],
    ['generated', { community: 'x', source: { kind: 'zone_roster' } }, undefined],
    ['written without title and body', { community: 'x', kind: 'joint_decision' }, ['body', 'title']],
    ['neither source nor kind', { community: 'x', title: 't', body: 'b' }, ['kind']],
    ['generated with a title', { community: 'x', source: { kind: 'zone_roster' }, title: 't' }, ['title']],
    [
      'fund notice without a period',
      { community: 'x', kind: 'fund_notice', title: 't', body: 'b' },
      ['period'],
    ],
    [
      'a period on a roster',
      { community: 'x', kind: 'zone_roster', title: 't', body: 'b', periodDays: 7 },
      ['period'],
    ],
    [
      'a period that ends before it starts',
      {
        community: 'x',
        kind: 'fund_notice',
        title: 't',
        body: 'b',
        period: { start: '2026-11-20T10:00:00+08:00', end: '2026-11-19T10:00:00+08:00' },
      },
      ['period.end'],
    ],
    ['an unknown source', { community: 'x', source: { kind: 'weather' } }, ['source.kind']],
    [
      'a resolution that is no id',
      { community: 'x', source: { kind: 'joint_decision', resolution: '1' } },
      ['source.resolution'],
    ],
    ['a blank title', { community: 'x', kind: 'joint_decision', title: '  ', body: 'b' }, ['title']],
  ])('%s', (_, body, expected) => {
    expect(paths(CreateNoticeBody.safeParse(body))).toEqual(expected);
  });
  test('an edit must change something', () => {
    expect(EditNoticeBody.safeParse({}).success).toBe(false);
    expect(EditNoticeBody.safeParse({ title: '新标题' }).success).toBe(true);
  });
});
