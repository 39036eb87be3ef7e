import {
  type Actor,
  buildKpiView,
  CreateExternalOrderInput,
  checkReply,
  externalLapses,
  type IssueStatus,
  type KpiGroupRow,
  keepsExternalOrders,
  type PersonRoles,
  parsePeriod,
  ZERO_COUNTS,
} from '../../packages/domain/src';
import { domainErrorOf, loadXiaduoyuan } from './fixtures';

const xdy = loadXiaduoyuan();
const actor = (roles: Partial<PersonRoles> | null, admin = false): Actor => ({
  accountId: 'a',
  admin,
  roles: roles
    ? ({
        person: 'x',
        zones: [],
        linesLed: [],
        secretary: false,
        leadership: false,
        propertyManager: false,
        supervisor: false,
        ...roles,
      } as PersonRoles)
    : null,
});

describe('who keeps external orders (12345, street office)', () => {
  it.each([
    { name: 'the secretary', a: actor({ person: 'tu-zhongmei', secretary: true }), keeps: true },
    {
      name: 'an rc member of a zone',
      a: actor({ person: 'zhang-nen', zones: [{ zone: 'zone-1', org: 'rc', leader: false }] as never }),
      keeps: true,
    },
    {
      name: 'a grid inspector',
      a: actor({ person: 'yang-chenyi', zones: [{ zone: 'zone-1', org: 'grid', leader: false }] as never }),
      keeps: false,
    },
    { name: 'the leadership', a: actor({ person: 'wen-liang', leadership: true }), keeps: false },
    { name: 'an administrator', a: actor(null, true), keeps: true },
    { name: 'a resident', a: actor(null), keeps: false },
  ])('$name → $keeps', ({ a, keeps }) => {
    expect(keepsExternalOrders(a, xdy)).toBe(keeps);
  });
});

describe('checkReply: only once the work is done, only once', () => {
  const cases: { status: IssueStatus; replied: boolean; code: string | null }[] = [
    { status: 'resolved', replied: false, code: null },
    { status: 'closed', replied: false, code: null },
    { status: 'rejected', replied: false, code: null },
    { status: 'merged', replied: false, code: null },
    { status: 'dispatched', replied: false, code: 'not_done_yet' },
    { status: 'submitted', replied: false, code: 'not_done_yet' },
    { status: 'in_progress', replied: false, code: 'not_done_yet' },
    { status: 'closed', replied: true, code: 'already_replied' },
  ];
  it.each(cases)('$status, replied=$replied → $code', ({ status, replied, code }) => {
    const at = replied ? new Date('2026-11-20T00:00:00Z') : null;
    if (code === null) return expect(() => checkReply(status, at)).not.toThrow();
    const e = domainErrorOf(() => checkReply(status, at));
    expect([e.kind, e.code]).toEqual(['conflict', code]);
  });
});

describe('externalLapses: two deadlines of their own', () => {
  const due = new Date('2026-11-20T10:00:00Z');
  const replyDue = new Date('2026-11-21T10:00:00Z');
  const before = new Date('2026-11-19T10:00:00Z');
  const between = new Date('2026-11-20T12:00:00Z');
  const after = new Date('2026-11-22T10:00:00Z');
  it.each([
    { name: 'open, before both', handled: null, replied: null, now: before, lapses: [false, false] },
    { name: 'open, past handling only', handled: null, replied: null, now: between, lapses: [true, false] },
    { name: 'open, past both', handled: null, replied: null, now: after, lapses: [true, true] },
    {
      name: 'handled in time, replied late',
      handled: before,
      replied: after,
      now: after,
      lapses: [false, true],
    },
    {
      name: 'handled late, replied in time',
      handled: between,
      replied: between,
      now: after,
      lapses: [true, false],
    },
  ])('$name', ({ handled, replied, now, lapses }) => {
    const r = externalLapses(
      { externalDueAt: due, replyDueAt: replyDue, handledAt: handled, repliedAt: replied },
      now,
    );
    expect([r.handlingOverdue, r.replyOverdue]).toEqual(lapses);
  });
});

describe('CreateExternalOrderInput', () => {
  const ok = {
    community: 'xiaduoyuan',
    source: 'hotline_12345',
    externalNo: 'BJ12345-20261116-0001',
    externalDueAt: '2026-11-20T18:00:00+08:00',
    building: 12,
    category: 'sanitation',
    description: '市民来电：12号楼垃圾清运不及时',
  };
  it.each([
    { body: ok, path: null },
    { body: { ...ok, source: 'wechat' }, path: 'source' },
    { body: { ...ok, externalNo: ' ' }, path: 'externalNo' },
    { body: { ...ok, externalDueAt: '下周五' }, path: 'externalDueAt' },
    { body: { ...ok, replyDueAt: '2026-11-20' }, path: 'replyDueAt' },
    { body: { ...ok, reporterPhone: '123' }, path: 'reporterPhone' },
  ])('$path', ({ body, path }) => {
    const r = CreateExternalOrderInput.safeParse(body);
    expect(r.success).toBe(path === null);
    if (!r.success) expect(r.error.issues[0]!.path.join('.')).toBe(path);
  });
});

describe('KPIs by channel (additive)', () => {
  const counts = (received: number, handled: number) => ({
    ...ZERO_COUNTS,
    received,
    handled,
    effective: handled,
    onTime: handled,
    rated: 0,
    satisfied: 0,
  });
  it('lists the channels that received anything, most first, with their names', () => {
    const rows: KpiGroupRow[] = [
      { group: 'total', key: null, counts: counts(6, 3) },
      { group: 'channel', key: 'resident_qr', counts: counts(1, 1) },
      { group: 'channel', key: 'hotline_12345', counts: counts(4, 1) },
      { group: 'channel', key: 'street_office', counts: counts(1, 1) },
    ];
    const view = buildKpiView({
      community: xdy,
      period: parsePeriod({ period: '2026-11' }),
      scope: { kind: 'community', key: null, name: '全小区' } as never,
      rows,
      computedAt: new Date('2026-12-01T00:00:00Z'),
    });
    expect(view.byChannel.map((c) => [c.key, c.name, c.figures.received])).toEqual([
      ['hotline_12345', '12345热线转办', 4],
      ['resident_qr', '居民扫码投诉', 1],
      ['street_office', '街道转办', 1],
    ]);
  });
});
