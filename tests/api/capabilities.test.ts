import {
  type ArchiveList,
  type CampaignView,
  type IssueDetail,
  type JointMeetingPage,
  type JointMeetingView,
  type LetterPage,
  type LetterView,
  type Me,
  type MyShiftsView,
  type NoticeView,
  orgMembersOf,
  type PersonRoles,
  type ResolutionView,
  type RotaView,
  rolesOf,
  type WorkMenuKey,
  type ZoneMeetingPage,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { jointMeetingsTable, lettersTable, resolutionsTable } from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { SEED_TIMEOUT, seedDemoQuarter } from '../helpers/demo-quarter';
import { complain, issueIdOf } from '../helpers/issue-flow';

/**
 * The server says what each person may do (docs/architecture.md, "Capabilities"). For every person
 * of the 夏朵园 config, an administrator and a resident: the work menu of GET /api/me equals what
 * the access rules let them open — checked against the endpoints behind the entries and the rules
 * of docs/domain.md §12 — and the actions offered on seeded objects equal the rules; for a sample,
 * an offered action succeeds and one not offered is refused.
 */

interface Caller {
  key: string;
  auth: Record<string, string>;
  /** Roles in 夏朵园; null for the administrator and the resident. */
  roles: PersonRoles | null;
  kind: 'staff' | 'admin' | 'resident';
}

let t: TestApp;
// Monday 2026-11-16 10:00 in Shanghai.
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
const callers: Caller[] = [];
const by = (key: string) => callers.find((c) => c.key === key)!;

// Each caller from an address of their own: the per-address rate limits are not what is tested here.
const call = (c: Caller | null, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: c?.auth ?? {},
    remoteAddress: `10.254.0.${callers.indexOf(c!) + 1}`,
    ...(payload ? { payload } : {}),
  });

async function ok<T>(c: Caller | null, method: 'GET' | 'POST', url: string, payload?: object, status = 200) {
  const r = await call(c, method, url, payload);
  if (r.statusCode !== status) throw new Error(`${c?.key} ${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json() as T;
}

/** Whether the endpoint behind an entry lets this caller in (200) or refuses them (403, or 404: not theirs to see). */
async function opens(c: Caller, url: string) {
  const r = await call(c, 'GET', url);
  if (![200, 403, 404].includes(r.statusCode)) throw new Error(`${c.key} GET ${url} → ${r.statusCode}`);
  return r.statusCode === 200;
}

const secretaryOrLeadership = (c: Caller) => !!c.roles && (c.roles.secretary || c.roles.leadership);

let campaign: CampaignView;
let notice: NoticeView;
let meeting: JointMeetingView;
let issueId: string;

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  for (const key of t.xdy.people.keys()) {
    const s = await t.loginAs(key);
    callers.push({ key, auth: s.auth, roles: rolesOf(t.xdy, key), kind: 'staff' });
  }
  callers.push({ key: 'admin', auth: (await t.loginAs('admin')).auth, roles: null, kind: 'admin' });
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/auth/dev-resident',
    remoteAddress: '10.253.0.1',
  });
  expect(r.statusCode).toBe(200);
  const token = (r.json() as { accessToken: string }).accessToken;
  callers.push({
    key: 'resident',
    auth: { authorization: `Bearer ${token}` },
    roles: null,
    kind: 'resident',
  });

  // The seeded objects: a campaign in preparation, a draft notice, a scheduled joint meeting, an issue.
  campaign = await ok(
    by('wen-liang'),
    'POST',
    '/api/evaluations',
    { community: 'xiaduoyuan', quarter: '2026Q4' },
    201,
  );
  notice = await ok(
    by('tu-zhongmei'),
    'POST',
    '/api/notices',
    { community: 'xiaduoyuan', kind: 'joint_decision', title: '全小区通知', body: '通知事项' },
    201,
  );
  meeting = await ok(
    by('tu-zhongmei'),
    'POST',
    '/api/joint-meetings',
    { community: 'xiaduoyuan', at: '2026-11-26T19:00:00+08:00', place: '居委会会议室' },
    201,
  );
  issueId = await issueIdOf(t, (await complain(t, 12, '楼道堆放杂物，影响通行')).trackingCode);
}, 600_000);
afterAll(() => t.close());

describe('the work menu', () => {
  test('offers each person exactly the entries the access rules let them open', async () => {
    for (const c of callers) {
      const me = await ok<Me>(c, 'GET', '/api/me');
      const offered = me.menu.map((e) => e.key);
      const r = c.roles;
      const member = r !== null;
      const expected = new Set<WorkMenuKey>(['zone_issues', 'my_tasks', 'inbox']);
      const add = (key: WorkMenuKey, when: boolean) => when && expected.add(key);
      // The rules of docs/domain.md §12, stated from the config.
      add('patrol_report', !!r && r.zones.length > 0);
      add(
        'overdue_tasks',
        c.kind === 'admin' ||
          (!!r &&
            (r.secretary ||
              r.leadership ||
              r.propertyManager ||
              r.linesLed.length > 0 ||
              r.zones.some((z) => z.leader))),
      );
      for (const k of ['zone_meetings', 'joint_meetings', 'resolutions'] as const)
        add(k, !!r && (r.zones.length > 0 || r.secretary || r.leadership));
      add(
        'kpis',
        c.kind === 'admin' ||
          (!!r && (r.secretary || r.leadership || r.linesLed.length > 0 || r.zones.some((z) => z.leader))),
      );
      add('password', c.kind !== 'resident');
      // 两巡两访: grid, property and rc members record rounds; zone leaders and whoever reads every
      // issue read them.
      add(
        'rounds',
        c.kind === 'admin' ||
          (!!r &&
            (r.secretary ||
              r.leadership ||
              r.propertyManager ||
              !!r.supervisor ||
              r.zones.some((z) => z.leader || z.org !== 'oc'))),
      );
      add('oversight', !!r?.supervisor);
      // The endpoints behind the entries.
      const letters = await opens(c, '/api/letters?community=xiaduoyuan');
      add('letters', member && letters);
      add('credit', member && letters);
      add(
        'reports',
        member && (await opens(c, '/api/communities/xiaduoyuan/reports/evaluation?period=2026Q4')),
      );
      const shifts = await opens(c, '/api/me/shifts');
      for (const k of ['my_shifts', 'rota', 'swaps', 'duty_log'] as const) add(k, shifts);
      add('notices', member && (await opens(c, '/api/notices?community=xiaduoyuan')));
      add('archive', member && (await opens(c, '/api/communities/xiaduoyuan/archives')));
      add('honor_roll', member && (await opens(c, '/api/communities/xiaduoyuan/honor-roll')));
      add(
        'ledger',
        member && (await opens(c, '/api/communities/xiaduoyuan/issues/ledger?period=2026-11&format=csv')),
      );
      add('evaluation_admin', member && (await opens(c, `/api/evaluations/${campaign.id}/audit`)));
      // Deciding a household's binding: the zone's residents' committee, owners' committee and grid people.
      add('verify_homes', !!r && r.zones.some((z) => z.org === 'rc' || z.org === 'oc' || z.org === 'grid'));
      // The dispatch desk: whoever the desk endpoint answers (zone and line leaders, the manager, admins).
      add('dispatch_desk', await opens(c, '/api/desk?community=xiaduoyuan'));
      // 回访: whoever the callback desk answers.
      add('callbacks', await opens(c, '/api/communities/xiaduoyuan/callbacks'));
      // The triage desk: whoever its endpoint lets place (its keeper, the secretary here, and admins).
      const triage = await call(c, 'GET', '/api/triage?community=xiaduoyuan');
      add('triage_desk', member && triage.statusCode === 200 && triage.json().canPlace === true);
      // External orders: whoever may enter one (the list is also read by those who read everything).
      add('external_orders', member && (r.secretary || r.zones.some((z) => z.org === 'rc')));
      // 每月一题: whoever the topics endpoint lets pick.
      const topics = await call(c, 'GET', '/api/monthly-topics?community=xiaduoyuan');
      add('monthly_topics', member && topics.statusCode === 200 && topics.json().canPick === true);
      add('accounts', await opens(c, '/api/admin/accounts'));
      add('people', await opens(c, '/api/admin/communities/xiaduoyuan/people'));
      add('rollup', await opens(c, '/api/admin/rollup?period=2026Q4'));
      add('open311_keys', await opens(c, '/api/admin/open311-keys'));
      add('bans', await opens(c, '/api/admin/bans'));
      expect({ caller: c.key, menu: [...offered].sort() }).toEqual({
        caller: c.key,
        menu: [...expected].sort(),
      });

      // The forms of an entry: who convenes zone meetings, who arranges joint ones, reach of accounts.
      const variant = (k: WorkMenuKey) => me.menu.find((e) => e.key === k)?.variant;
      if (expected.has('zone_meetings'))
        expect(variant('zone_meetings')).toBe(r!.zones.some((z) => z.leader) ? 'leader' : null);
      if (expected.has('joint_meetings'))
        expect(variant('joint_meetings')).toBe(c.key === 'tu-zhongmei' ? 'secretary' : null);
      if (expected.has('accounts'))
        expect(variant('accounts')).toBe(c.kind === 'admin' ? 'all' : 'community');
    }
  });
});

describe('the KPI scopes', () => {
  test('GET /api/me offers exactly the scopes the KPI endpoint lets the caller read', async () => {
    const period = 'period=2026Q4';
    const every = [
      { scope: 'community', key: null, q: 'scope=community' },
      ...t.xdy.config.zones.map((z) => ({ scope: 'zone', key: z.key, q: `scope=zone&zone=${z.key}` })),
      ...t.xdy.config.lines.map((l) => ({ scope: 'line', key: l.key, q: `scope=line&line=${l.key}` })),
    ];
    for (const c of callers) {
      const me = await ok<Me>(c, 'GET', '/api/me');
      const offered = me.kpiScopes.map((s) => `${s.scope}:${s.key}`);
      const readable: string[] = [];
      for (const s of every) {
        const r = await call(c, 'GET', `/api/communities/xiaduoyuan/kpis?${period}&${s.q}`);
        if (![200, 403].includes(r.statusCode)) throw new Error(`${c.key} ${s.q} → ${r.statusCode}`);
        if (r.statusCode === 200) readable.push(`${s.scope}:${s.key}`);
      }
      // Organisations are offered with the whole community (the same reach); the rest must match.
      expect({ caller: c.key, scopes: offered.filter((o) => !o.startsWith('org:')) }).toEqual({
        caller: c.key,
        scopes: c.kind === 'resident' || (c.kind === 'admin' && !me.person) ? [] : readable,
      });
      if (offered.some((o) => o.startsWith('org:'))) expect(offered[0]).toBe('community:null');
    }
  });
});

describe('binding a household', () => {
  test('GET /api/me offers it to residents only, and binding refuses everyone else', async () => {
    for (const c of callers) {
      const me = await ok<Me>(c, 'GET', '/api/me');
      expect({ caller: c.key, binds: me.bindsHome }).toEqual({ caller: c.key, binds: c.kind === 'resident' });
    }
    const staff = callers.filter((c) => c.kind !== 'resident').slice(0, 2);
    for (const c of staff) {
      const r = await call(c, 'POST', '/api/me/homes', {
        community: 'xiaduoyuan',
        building: 12,
        room: '302',
        name: '王先生',
      });
      expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: 403 });
    }
  });
});

describe('the actions offered on objects', () => {
  test('a draft notice: edit, approve and withdraw as the notice rules say; none to a reader', async () => {
    for (const c of callers) {
      const r = await call(c, 'GET', `/api/notices/${notice.id}`);
      const runs = secretaryOrLeadership(c);
      const readsDrafts = runs || c.kind === 'admin' || !!c.roles?.zones.some((z) => z.leader);
      expect({ caller: c.key, status: r.statusCode }).toEqual({
        caller: c.key,
        status: readsDrafts ? 200 : 404,
      });
      if (r.statusCode !== 200) continue;
      const expected = [
        ...(runs || c.kind === 'admin' ? ['edit'] : []),
        // Approval is the second pair of eyes: never the author (the secretary drafted it).
        ...(runs && c.key !== 'tu-zhongmei' ? ['approve'] : []),
        ...(runs ? ['withdraw'] : []),
      ];
      expect({ caller: c.key, actions: (r.json() as NoticeView).allowedActions }).toEqual({
        caller: c.key,
        actions: expected,
      });
    }
    // Not offered → refused; offered → done.
    expect((await call(by('tu-zhongmei'), 'POST', `/api/notices/${notice.id}/approve`)).statusCode).toBe(403);
    expect((await call(by('wu-wenjie'), 'POST', `/api/notices/${notice.id}/approve`)).statusCode).toBe(403);
    const approved = await ok<NoticeView>(by('chen-lifeng'), 'POST', `/api/notices/${notice.id}/approve`);
    expect(approved.allowedActions).toEqual(['edit', 'publish', 'withdraw']);
  });

  test('a campaign in preparation: its steps for the leadership group, nothing for anyone else', async () => {
    for (const c of callers) {
      const r = await call(c, 'GET', `/api/evaluations/${campaign.id}`);
      const leads = !!c.roles?.leadership;
      if (!leads) {
        // A draft is the leadership's alone: the others do not see it at all.
        expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: 404 });
        continue;
      }
      expect((r.json() as CampaignView).allowedActions).toEqual(['open', 'codes']);
    }
    await ok(by('zhu-bin'), 'POST', `/api/evaluations/${campaign.id}/open`, {});
    // Open now, everyone sees it; closing is offered to the leadership only, and refused to others.
    const asSecretary = await ok<CampaignView>(by('tu-zhongmei'), 'GET', `/api/evaluations/${campaign.id}`);
    expect(asSecretary.allowedActions).toEqual([]);
    expect(
      (await call(by('tu-zhongmei'), 'POST', `/api/evaluations/${campaign.id}/close`, {})).statusCode,
    ).toBe(403);
    const asLeader = await ok<CampaignView>(by('wen-liang'), 'GET', `/api/evaluations/${campaign.id}`);
    expect(asLeader.allowedActions).toEqual(['close', 'codes', 'audit']);
  });

  test('a scheduled joint meeting: recording for its chair and the secretary; the list offers arranging to the secretary', async () => {
    const secretary = t.xdy.config.secretary;
    for (const c of callers) {
      const r = await call(c, 'GET', `/api/joint-meetings/${meeting.id}`);
      if (c.kind === 'resident') {
        expect(r.statusCode).toBe(404);
        continue;
      }
      expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: 200 });
      const view = r.json() as JointMeetingView;
      const records = c.key === meeting.chair || c.key === secretary;
      // Before the meeting begins: the Party secretary (its chair) may designate another chair;
      // the minutes may be drafted; attendance waits for the meeting.
      const designates = c.key === meeting.chair ? ['designate_chair'] : [];
      expect({ caller: c.key, actions: view.allowedActions }).toEqual({
        caller: c.key,
        actions: records ? [...designates, 'edit_minutes'] : [],
      });
      const list = await ok<JointMeetingPage>(c, 'GET', '/api/joint-meetings?community=xiaduoyuan');
      expect({ caller: c.key, actions: list.allowedActions }).toEqual({
        caller: c.key,
        actions: c.key === secretary ? ['schedule', 'add_item'] : [],
      });
      const zones = await ok<ZoneMeetingPage>(c, 'GET', '/api/zone-meetings?community=xiaduoyuan');
      expect({ caller: c.key, zones: zones.conveneZones }).toEqual({
        caller: c.key,
        zones: c.roles?.zones.filter((z) => z.leader).map((z) => z.zone) ?? [],
      });
    }
    // Once it has begun, its chair and the secretary take attendance.
    const before = clock.now();
    clock.set(new Date(meeting.at));
    try {
      for (const c of callers.filter((x) => x.key === meeting.chair || x.key === secretary)) {
        const view = await ok<JointMeetingView>(c, 'GET', `/api/joint-meetings/${meeting.id}`);
        expect({ caller: c.key, actions: view.allowedActions }).toEqual({
          caller: c.key,
          actions: [
            ...(c.key === meeting.chair ? ['designate_chair'] : []),
            'record_attendance',
            'edit_minutes',
          ],
        });
      }
      const present = { present: [...new Set([meeting.chair, ...meeting.invitees.map((m) => m.person)])] };
      const attendance = `/api/joint-meetings/${meeting.id}/attendance`;
      expect((await call(by('yang-chenyi'), 'POST', attendance, present)).statusCode).toBe(403);
      const held = await ok<JointMeetingView>(by(secretary!), 'POST', attendance, present);
      // Held: the chair may now approve the minutes; the secretary still only records.
      expect(held.allowedActions).toEqual(['record_attendance', 'edit_minutes']);
      const asChair = await ok<JointMeetingView>(
        by(meeting.chair),
        'GET',
        `/api/joint-meetings/${meeting.id}`,
      );
      expect(asChair.allowedActions).toEqual(['record_attendance', 'edit_minutes', 'approve_minutes']);
    } finally {
      clock.set(before);
    }
  });

  test("an issue's tasks: accept and return for the assignee, reassign for who manages the work", async () => {
    const issue = await ok<IssueDetail>(by('admin'), 'GET', `/api/issues/${issueId}`);
    const task = issue.tasks.find((x) => x.status === 'open')!;
    const assignee = task.assignee.key;
    const owner = issue.owner?.key ?? null;
    for (const c of callers) {
      const r = await call(c, 'GET', `/api/issues/${issueId}`);
      if (r.statusCode !== 200) continue;
      const view = (r.json() as IssueDetail).tasks.find((x) => x.id === task.id)!;
      const manages = c.kind === 'admin' || c.key === owner || !!c.roles?.propertyManager;
      expect({ caller: c.key, actions: view.allowedActions }).toEqual({
        caller: c.key,
        actions: [...(c.key === assignee ? ['accept', 'return'] : []), ...(manages ? ['reassign'] : [])],
      });
    }
    const other = callers.find((c) => c.kind === 'staff' && c.key !== assignee && c.key !== owner)!;
    expect((await call(other, 'POST', `/api/tasks/${task.id}/accept`)).statusCode).toBe(403);
    const accepted = await ok<{ allowedActions: string[] }>(
      by(assignee),
      'POST',
      `/api/tasks/${task.id}/accept`,
    );
    expect(accepted.allowedActions).toEqual(['return', 'start', 'resolve']);
  });

  test('archives: archiving and downloading for the secretary, the leadership group and administrators', async () => {
    for (const c of callers) {
      const r = await call(c, 'GET', '/api/communities/xiaduoyuan/archives');
      const manages = secretaryOrLeadership(c) || c.kind === 'admin';
      expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: manages ? 200 : 403 });
      if (manages) expect((r.json() as ArchiveList).allowedActions).toEqual(['create']);
    }
  });

  test('shifts: a swap on my own shift that has not started; changing it for who manages the rota', async () => {
    await ok(by('tu-zhongmei'), 'POST', '/api/communities/xiaduoyuan/duty/generate', {
      from: '2026-11-16',
      to: '2026-11-29',
    });
    let checked = 0;
    for (const c of callers.filter((x) => x.kind === 'staff')) {
      const mine = await ok<MyShiftsView>(c, 'GET', '/api/me/shifts');
      for (const s of mine.shifts) {
        const started = Date.parse(s.start) <= clock.now().getTime();
        expect(s.allowedActions).toEqual([
          ...(started ? [] : ['request_swap']),
          ...(secretaryOrLeadership(c) ? ['override'] : []),
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('the rota: generate, publish and override for who manages it; print once published', async () => {
    for (const c of callers) {
      const r = await call(c, 'GET', '/api/communities/xiaduoyuan/duty?from=2026-11-16&to=2026-11-29');
      if (c.kind === 'resident') {
        expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: 403 });
        continue;
      }
      expect({ caller: c.key, status: r.statusCode }).toEqual({ caller: c.key, status: 200 });
      const manages = secretaryOrLeadership(c) || c.kind === 'admin';
      // Generated in one step above: published, nothing left to publish.
      expect({ caller: c.key, actions: (r.json() as RotaView).allowedActions }).toEqual({
        caller: c.key,
        actions: manages ? ['generate', 'override', 'print'] : ['print'],
      });
    }
  });
});

describe('a resolution and a letter of a quarter lived through', () => {
  let q: TestApp;
  const qClock = testClock(new Date('2026-06-20T02:00:00Z'));
  const sessions = new Map<string, Record<string, string>>();
  const as = async (person: string) => {
    if (!sessions.has(person)) sessions.set(person, (await q.loginAs(person)).auth);
    return sessions.get(person)!;
  };
  const qCall = async (person: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    q.app.inject({ method, url, headers: await as(person), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    q = await buildTestApp({ now: qClock.now });
    await seedDemoQuarter(q, qClock, new Date('2026-06-30T16:00:00Z'), () => q.runFollowUp());
  }, SEED_TIMEOUT);
  afterAll(() => q?.close());

  test("re-deliberation is offered to the members of the resolution's meeting, and to them only", async () => {
    const [resolution] = await q.db.select().from(resolutionsTable);
    const [meeting] = await q.db
      .select()
      .from(jointMeetingsTable)
      .where(eq(jointMeetingsTable.id, resolution!.meetingId));
    const members = new Set([meeting!.chair, ...meeting!.invitees.map((m) => m.person)]);
    const url = `/api/resolutions/${resolution!.id}`;
    let outsider: string | null = null;
    for (const key of q.xdy.people.keys()) {
      const r = await qCall(key, 'GET', url);
      if (r.statusCode !== 200) continue;
      const offered = (r.json() as ResolutionView).allowedActions.includes('request_reconsideration');
      expect({ key, offered }).toEqual({ key, offered: members.has(key) });
      if (!members.has(key)) outsider ??= key;
    }
    // Not offered → refused; offered → done, and then not offered again while the request waits.
    expect(outsider).not.toBeNull();
    expect(
      (await qCall(outsider!, 'POST', `${url}/reconsideration`, { reason: '情况有变化' })).statusCode,
    ).toBe(403);
    const member = [...members][0]!;
    expect((await qCall(member, 'POST', `${url}/reconsideration`, { reason: '情况有变化' })).statusCode).toBe(
      201,
    );
    const after = (await qCall(member, 'GET', url)).json() as ResolutionView;
    expect(after.allowedActions).not.toContain('request_reconsideration');
  });

  test('a letter offers acknowledging to the people of its organisation, once', async () => {
    const [letter] = await q.db.select().from(lettersTable);
    const people = orgMembersOf(q.xdy, letter!.org);
    const url = '/api/letters?community=xiaduoyuan';
    let reader: string | null = null;
    for (const key of q.xdy.people.keys()) {
      const r = await qCall(key, 'GET', url);
      if (r.statusCode !== 200) continue;
      const view = (r.json() as LetterPage).items.find((l) => l.id === letter!.id);
      if (!view) continue;
      expect({ key, actions: view.allowedActions }).toEqual({
        key,
        actions: people.includes(key) ? ['acknowledge'] : [],
      });
      if (!people.includes(key)) reader ??= key;
    }
    // A reader who is not of the organisation is refused; one of its people signs, and it is offered no more.
    if (reader)
      expect((await qCall(reader, 'POST', `/api/letters/${letter!.id}/acknowledge`, {})).statusCode).toBe(
        403,
      );
    const signed = await qCall(people[0]!, 'POST', `/api/letters/${letter!.id}/acknowledge`, {
      note: '已收到',
    });
    expect(signed.statusCode).toBe(200);
    expect((signed.json() as LetterView).allowedActions).toEqual([]);
  });
});
