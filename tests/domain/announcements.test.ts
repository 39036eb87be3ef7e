import {
  assertMayExportLedger,
  assertMayKeepHonorRoll,
  assertMayNotice,
  CreateNoticeBody,
  HonorEntryInput,
  honorKeeperOrg,
  honorRollNotice,
  IssueLedgerQuery,
  keepsHonorRoll,
  LEDGER_HEADER,
  ledgerFileName,
  ledgerRows,
  mayHavePeriod,
  monthPeriod,
  NOTICE_KINDS,
  type NoticeActor,
  noticeActions,
  periodLabel,
  rolesOf,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const xdy = loadXiaduoyuan();
const as = (person: string): NoticeActor & { accountId: string } => ({
  accountId: 'a',
  admin: false,
  roles: rolesOf(xdy, person),
});
type TestActor = NoticeActor & { accountId: string };
const ADMIN: TestActor = { accountId: 'a', admin: true, roles: null };
const RESIDENT: TestActor = { accountId: 'a', admin: false, roles: null };

describe('general announcements and the convention', () => {
  const parse = (body: object) => CreateNoticeBody.safeParse({ community: 'xiaduoyuan', ...body });
  const paths = (body: object) => {
    const r = parse(body);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it.each<[string, object, string[]]>([
    ['an announcement without a period', { kind: 'announcement', title: '消杀通知', body: '正文' }, []],
    [
      'an announcement valid 3 days',
      { kind: 'announcement', title: '停电通知', body: '正文', periodDays: 3 },
      [],
    ],
    [
      'an announcement valid from … to …',
      {
        kind: 'announcement',
        title: '活动',
        body: '正文',
        period: { start: '2026-11-18T08:00:00+08:00', end: '2026-11-18T16:00:00+08:00' },
      },
      [],
    ],
    [
      'a period ending before it starts',
      {
        kind: 'announcement',
        title: '活动',
        body: '正文',
        period: { start: '2026-11-18T16:00:00+08:00', end: '2026-11-18T08:00:00+08:00' },
      },
      ['period.end'],
    ],
    [
      'the convention has no period',
      { kind: 'convention', title: '居民公约', body: '正文', periodDays: 7 },
      ['period'],
    ],
    [
      'a control character in the title',
      { kind: 'announcement', title: '停\u0007水', body: '正文' },
      ['title'],
    ],
    ['a NUL in the body', { kind: 'announcement', title: '停水', body: '正\u0000文' }, ['body']],
    ['a C1 control in the body', { kind: 'announcement', title: '停水', body: '正\u0085文' }, ['body']],
    [
      'a body over 10000 characters',
      { kind: 'announcement', title: '停水', body: '字'.repeat(10001) },
      ['body'],
    ],
    ['a blank title', { kind: 'announcement', title: '   ', body: '正文' }, ['title']],
    ['days beyond 90', { kind: 'announcement', title: '停水', body: '正文', periodDays: 91 }, ['periodDays']],
  ])('%s', (_, body, expected) => {
    expect(paths(body)).toEqual(expected);
  });

  it.each(NOTICE_KINDS.map((k) => [k]))(
    '%s: which kinds may carry a period, and what it is called',
    (kind) => {
      const expected = { fund_notice: [true, '公示期'], announcement: [true, '有效期'] }[kind as string] ?? [
        false,
        '公示期',
      ];
      expect([mayHavePeriod(kind), periodLabel(kind)]).toEqual(expected);
    },
  );
});

describe('the red and black lists (红黑榜)', () => {
  // Who keeps the lists, from the config: the Party branch (leadership group) and the 业委会 (org oc).
  it.each<[string, string | 'admin' | 'resident', boolean, string | null]>([
    ['the leadership group leader', 'wen-liang', true, '党组织'],
    ['a leadership-group member', 'chen-lifeng', true, '党组织'],
    ['a zone leader (业委会)', 'wu-wenjie', true, '业委会'],
    ['another zone leader (业委会)', 'zhou-jianguang', true, '业委会'],
    ['the secretary', 'tu-zhongmei', false, null],
    ['a residents’ committee member', 'zhang-nen', false, null],
    ['a grid inspector', 'yang-chenyi', false, null],
    ['a property specialist', 'zhang-lifen', false, null],
    ['a line leader', 'zhou-jianping', false, null],
    ['an administrator', 'admin', false, null],
    ['a resident', 'resident', false, null],
  ])('%s (%s)', (_, who, keeps, org) => {
    const actor = who === 'admin' ? ADMIN : who === 'resident' ? RESIDENT : as(who);
    expect(keepsHonorRoll(actor)).toBe(keeps);
    if (keeps) {
      expect(() => assertMayKeepHonorRoll(actor)).not.toThrow();
      expect(honorKeeperOrg(actor)).toBe(org);
    } else {
      expect(domainErrorOf(() => assertMayKeepHonorRoll(actor)).code).toBe('not_honor_roll_keeper');
    }
  });

  test('a keeper drafts a 红黑榜 notice even of the whole community; not other kinds', () => {
    const zl = as('wu-wenjie');
    expect(() =>
      assertMayNotice(zl, 'draft', { zone: null, author: 'wu-wenjie', kind: 'honor_roll' }),
    ).not.toThrow();
    expect(
      domainErrorOf(() =>
        assertMayNotice(zl, 'draft', { zone: null, author: 'wu-wenjie', kind: 'announcement' }),
      ).code,
    ).toBe('not_notice_drafter');
    // Approval stays with the leadership group or the secretary, never one's own.
    expect(
      noticeActions(zl, { zone: null, author: 'wu-wenjie', kind: 'honor_roll', status: 'draft' }),
    ).toEqual(['edit']);
    expect(
      noticeActions(as('tu-zhongmei'), {
        zone: null,
        author: 'wu-wenjie',
        kind: 'honor_roll',
        status: 'draft',
      }),
    ).toContain('approve');
  });

  it.each<[string, object, string[]]>([
    ['a red entry', { list: 'red', subject: '12号楼302室', reason: '主动清理楼道', day: '2026-11-10' }, []],
    ['an unknown list', { list: 'green', subject: 'x', reason: 'y', day: '2026-11-10' }, ['list']],
    [
      'a subject with a line break',
      { list: 'red', subject: '12号\n楼', reason: 'y', day: '2026-11-10' },
      ['subject'],
    ],
    [
      'a subject over 60',
      { list: 'red', subject: '字'.repeat(61), reason: 'y', day: '2026-11-10' },
      ['subject'],
    ],
    [
      'a reason with a control character',
      { list: 'black', subject: 'x', reason: '\u0001', day: '2026-11-10' },
      ['reason'],
    ],
    ['no date', { list: 'black', subject: 'x', reason: 'y' }, ['day']],
    ['an impossible date', { list: 'black', subject: 'x', reason: 'y', day: '2026-02-30' }, ['day']],
  ])('entry input: %s', (_, body, expected) => {
    const r = HonorEntryInput.safeParse(body);
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(expected);
  });

  test('the notice: red list first, entries by date, numbered per list', () => {
    const d = honorRollNotice({ name: '夏朵园居民区' }, [
      { list: 'black', subject: '8号楼', reason: '高空抛物', day: '2026-11-12' },
      { list: 'red', subject: '12号楼302室', reason: '清理楼道', day: '2026-11-10' },
      { list: 'red', subject: '3号楼志愿队', reason: '义务巡逻', day: '2026-11-02' },
    ]);
    expect(d).toMatchObject({
      kind: 'honor_roll',
      zone: null,
      title: '夏朵园居民区居民公约履约情况红榜、黑榜',
    });
    const lines = d.body.split('\n');
    expect(lines.slice(1, 6)).toEqual([
      '红榜（履约示范）',
      '\u3000\u30001. 3号楼志愿队（2026年11月2日）：义务巡逻',
      '\u3000\u30002. 12号楼302室（2026年11月10日）：清理楼道',
      '黑榜（违约提醒）',
      '\u3000\u30001. 8号楼（2026年11月12日）：高空抛物',
    ]);
    const onlyBlack = honorRollNotice({ name: '夏朵园居民区' }, [
      { list: 'black', subject: '8号楼', reason: '高空抛物', day: '2026-11-12' },
    ]);
    expect(onlyBlack.title).toBe('夏朵园居民区居民公约履约情况黑榜');
    expect(onlyBlack.body).not.toContain('红榜（');
  });
});

describe('the issue ledger (工单台账)', () => {
  it.each<[string, TestActor, boolean]>([
    ['an administrator', ADMIN, true],
    ['a residents’ committee member', as('zhang-nen'), true],
    ['a grid inspector', as('yang-chenyi'), true],
    ['a resident', RESIDENT, false],
  ])('%s may export: %s', (_, actor, may) => {
    if (may) expect(() => assertMayExportLedger(actor)).not.toThrow();
    else expect(domainErrorOf(() => assertMayExportLedger(actor)).code).toBe('ledger_not_permitted');
  });

  it.each<[string, object, string[]]>([
    ['defaults to xlsx', { period: '2026-11' }, []],
    ['csv', { period: '2026-11', format: 'csv' }, []],
    ['pdf', { period: '2026-11', format: 'pdf' }, ['format']],
    ['an unknown status', { period: '2026-11', status: 'lost' }, ['status']],
    ['an unknown parameter', { period: '2026-11', owner: 'x' }, ['']],
  ])('query: %s', (_, q, expected) => {
    const r = IssueLedgerQuery.safeParse(q);
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(expected);
    if (r.success && !('format' in q)) expect(r.data.format).toBe('xlsx');
  });

  test('rows name codes in Chinese, people by name, keep instants for the writer', () => {
    const created = new Date('2026-11-16T02:00:00Z');
    const rows = ledgerRows(xdy, [
      {
        code: 'AB12CD34',
        createdAt: created,
        zone: 'zone-1',
        building: 5,
        spot: '楼道',
        category: 'elevator',
        description: '电梯异响',
        urgency: 'urgent',
        tier: 'line',
        owner: 'zhou-jianping',
        status: 'dispatched',
        channel: 'resident_qr',
        resolvedAt: null,
      },
    ]);
    expect(rows).toEqual([
      [
        1,
        'AB12CD34',
        created,
        '第一责任区域',
        5,
        '楼道',
        '电梯故障',
        '电梯异响',
        '紧急',
        '专业条线',
        '周建平',
        '已派单',
        '居民扫码投诉',
        null,
      ],
    ]);
    expect(rows[0]).toHaveLength(LEDGER_HEADER.length);
  });

  test('file names carry the period and the filters', () => {
    expect(ledgerFileName(xdy, monthPeriod(2026, 11), {}, 'xlsx')).toBe('夏朵园居民区-工单台账-2026-11.xlsx');
    expect(
      ledgerFileName(
        xdy,
        monthPeriod(2026, 11),
        { zone: 'zone-2', category: 'noise', status: 'closed' },
        'csv',
      ),
    ).toBe('夏朵园居民区-工单台账-2026-11-第二责任区域-噪声扰民-已关闭.csv');
  });
});
