import type { IssueDetail, JointMeetingView, RotaView, ZoneMeetingView } from '@gongzhi/domain';
import { PASSWORD, type TestApp } from './build-app';
import { JOINT_MEETING_PRESENT } from './joint-meeting';
import { multipartBody, smallJpeg } from './multipart';

export { JOINT_MEETING_PRESENT };

/**
 * A quarter of 夏朵园 as it would be lived: grid inspectors report problems across the five zones
 * (some with photos), property staff and the line leader accept, work and resolve them with
 * after-photos, inspectors confirm; a duplicate is rejected; a slow task draws a reminder and a
 * 提示函; a zone meeting plans one fix and escalates a leak to the joint meeting, which votes and
 * resolves it; the rota is published and the duty desk logs questions, one of which becomes an
 * issue; the zone rosters are published as a notice, and some reporters rate their fixed issues. Everything goes through the real API with the test clock moved forward, so the records
 * are exactly what the product writes.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Clock {
  now: () => Date;
  set: (d: Date) => void;
}

type Spec = {
  zone: string;
  building?: number;
  spot?: string;
  category: string;
  description: string;
  photo?: boolean;
  /** What happens to it besides the ordinary way (accept, start, resolve, verify). */
  story?: 'reject' | 'overdue' | 'zone_plan' | 'escalate';
};

const INSPECTOR: Record<string, string> = {
  'zone-1': 'yang-chenyi',
  'zone-2': 'zhuang-yongliang',
  'zone-3': 'zhu-yuanshun',
  'zone-4': 'yang-lizhong',
  commercial: 'ma-zhengcai',
};
const LEADER: Record<string, string> = {
  'zone-1': 'wu-wenjie',
  'zone-2': 'hu-shengjia',
  'zone-3': 'li-gang',
  'zone-4': 'ni-qiong',
  commercial: 'zhou-jianguang',
};

const SPECS: Spec[] = [
  {
    zone: 'zone-1',
    building: 3,
    spot: '2单元门口',
    category: 'sanitation',
    description: '2单元门口垃圾桶满溢，异味明显',
    photo: true,
  },
  { zone: 'zone-2', building: 51, category: 'greening', description: '51号楼南侧绿化带枯死三棵灌木' },
  {
    zone: 'zone-3',
    building: 102,
    spot: '地下车库入口',
    category: 'parking',
    description: '车库入口长期占道停车，影响通行',
    photo: true,
  },
  {
    zone: 'zone-4',
    spot: '健身广场',
    category: 'public_facility',
    description: '健身广场单杠松动，存在安全隐患',
  },
  { zone: 'commercial', spot: '12号商铺', category: 'noise', description: '商铺夜间装修噪音扰民' },
  {
    zone: 'zone-1',
    building: 18,
    category: 'public_facility',
    description: '18号楼单元门禁损坏，门关不上',
    story: 'zone_plan',
  },
  {
    zone: 'zone-2',
    building: 60,
    spot: '1单元',
    category: 'elevator',
    description: '1单元电梯运行时有异响',
    photo: true,
  },
  {
    zone: 'zone-3',
    building: 120,
    category: 'sanitation',
    description: '120号楼楼道堆放杂物',
    story: 'overdue',
  },
  {
    zone: 'zone-1',
    building: 3,
    spot: '2单元门口',
    category: 'sanitation',
    description: '2单元门口垃圾又堆起来了（重复反映）',
    story: 'reject',
  },
  {
    zone: 'zone-1',
    building: 12,
    category: 'shared_leak',
    description: '12号楼外墙渗水，顶楼住户墙面发霉',
    photo: true,
    story: 'escalate',
  },
  { zone: 'zone-2', building: 77, category: 'greening', description: '77号楼前树枝遮挡路灯' },
  {
    zone: 'zone-4',
    spot: '东门岗亭',
    category: 'security',
    description: '东门岗亭夜间无人值守',
    photo: true,
  },
  { zone: 'commercial', spot: '商业街北段', category: 'sanitation', description: '商业街北段餐饮油污未清理' },
  { zone: 'zone-3', building: 95, category: 'parking', description: '95号楼消防通道旁非机动车乱停' },
  { zone: 'zone-1', building: 40, category: 'greening', description: '40号楼花坛杂草丛生' },
];

export interface DemoQuarter {
  /** Ids of every issue filed in the quarter, in filing order. */
  issues: string[];
  dutyLogEntries: number;
  zoneMeetings: number;
  jointMeetings: number;
  /** Issues closed by their reporter's rating rather than a plain confirmation. */
  ratings: number;
  notices: number;
}

/**
 * Fill quarter `year` Q`q` (local time) with demo activity. `followUp` is one pass of the follow-up
 * clock (reminders and letters). Leaves every issue finished (closed or rejected); the clock ends
 * in the quarter's last week.
 */
/** A quarter lived through the API takes a while (sign-ins hash passwords, photos are processed). */
export const SEED_TIMEOUT = 180_000;

export async function seedDemoQuarter(
  t: Pick<TestApp, 'app' | 'loginAs'>,
  clock: Clock,
  quarterStart: Date,
  followUp: () => Promise<unknown>,
): Promise<DemoQuarter> {
  const sessions = new Map<string, { phone: string; auth: Record<string, string>; at: number }>();
  /**
   * A signed-in session per person: one account each, signed in again (as its owner would) well
   * before the session's 30 days on the test clock run out.
   */
  const as = async (person: string) => {
    const s = sessions.get(person);
    if (s && clock.now().getTime() - s.at < 20 * DAY) return s.auth;
    let auth: Record<string, string>;
    let phone: string;
    if (s) {
      phone = s.phone;
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone, password: PASSWORD },
        remoteAddress: `10.251.0.${sessions.size}`,
      });
      if (r.statusCode !== 200)
        throw new Error(`demo: ${person} signs in again → ${r.statusCode}: ${r.body}`);
      auth = { authorization: `Bearer ${(r.json() as { accessToken: string }).accessToken}` };
    } else {
      ({ phone, auth } = await t.loginAs(person));
    }
    sessions.set(person, { phone, auth, at: clock.now().getTime() });
    return auth;
  };
  const ok = async <T>(
    person: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    status = 200,
  ) => {
    const r = await t.app.inject({ method, url, headers: await as(person), ...(payload ? { payload } : {}) });
    if (r.statusCode !== status)
      throw new Error(`demo: ${person} ${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r.json() as T;
  };
  const photo = async (person: string, color: string) => {
    const { payload, headers } = multipartBody([
      { filename: 'photo.jpg', contentType: 'image/jpeg', data: await smallJpeg(color) },
    ]);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...(await as(person)) },
    });
    if (r.statusCode !== 201) throw new Error(`demo: photo upload → ${r.statusCode}: ${r.body}`);
    return (r.json() as { photos: { id: string }[] }).photos[0]!.id;
  };
  const at = (days: number, hours: number) =>
    clock.set(new Date(quarterStart.getTime() + days * DAY + hours * HOUR));
  const issue = (person: string, id: string) => ok<IssueDetail>(person, 'GET', `/api/issues/${id}`);
  const openTask = async (person: string, id: string) => {
    const task = (await issue(person, id)).tasks.find((x) => x.status === 'open');
    if (!task) throw new Error(`demo: no open task on ${id}`);
    return task;
  };
  /** Accept, start, resolve with an after-photo: the ordinary work on a task. */
  const work = async (id: string, day: number, note: string) => {
    const task = await openTask('tu-zhongmei', id);
    const who = task.assignee.key;
    at(day, 2);
    await ok(who, 'POST', `/api/tasks/${task.id}/accept`);
    at(day, 4);
    await ok(who, 'POST', `/api/tasks/${task.id}/start`);
    at(day + 1, 6);
    await ok(who, 'POST', `/api/tasks/${task.id}/resolve`, { note, photoIds: [await photo(who, '#8a7')] });
  };
  const verify = async (inspector: string, id: string, day: number) => {
    at(day, 1);
    await ok(inspector, 'POST', `/api/issues/${id}/verify`, { note: '现场复核，已处理到位' });
  };

  // The rota for the quarter, published the week before (08:30–17:00 days, per the seed).
  clock.set(new Date(quarterStart.getTime() - 5 * DAY));
  const lastDay = new Date(quarterStart.getTime() + 91 * DAY).toISOString().slice(0, 10);
  const firstDay = new Date(quarterStart.getTime() + DAY).toISOString().slice(0, 10);
  const rota = await ok<RotaView>('tu-zhongmei', 'POST', '/api/communities/xiaduoyuan/duty/generate', {
    from: firstDay,
    to: lastDay,
  });

  const ids: string[] = [];
  let dutyLogEntries = 0;
  let zoneMeetings = 0;
  let jointMeetings = 0;
  let ratings = 0;

  // The zone rosters are posted at the start of the quarter: drafted by the secretary, approved by
  // the head of the leadership group, published.
  at(2, 1);
  const roster = await ok<{ id: string }>(
    'tu-zhongmei',
    'POST',
    '/api/notices',
    { community: 'xiaduoyuan', source: { kind: 'zone_roster' } },
    201,
  );
  await ok('wen-liang', 'POST', `/api/notices/${roster.id}/approve`, {});
  await ok('tu-zhongmei', 'POST', `/api/notices/${roster.id}/publish`, {});

  for (const [n, spec] of SPECS.entries()) {
    const day = 1 + n * 5; // one report every five days, through to mid-September
    const inspector = INSPECTOR[spec.zone]!;
    const leader = LEADER[spec.zone]!;
    at(day, 1.5);
    const body = {
      community: 'xiaduoyuan',
      ...(spec.building ? { building: spec.building } : { zone: spec.zone }),
      ...(spec.spot ? { spot: spec.spot } : {}),
      category: spec.category,
      description: spec.description,
      photoIds: spec.photo ? [await photo(inspector, '#a97')] : [],
    };
    const filed = await ok<IssueDetail>(inspector, 'POST', '/api/issues', body, 201);
    ids.push(filed.id);

    if (spec.story === 'reject') {
      at(day, 3);
      await ok(leader, 'POST', `/api/issues/${filed.id}/reject`, { reason: '与本月已办结的同一问题重复' });
      continue;
    }
    if (spec.story === 'overdue') {
      // Nobody accepts for days: the follow-up clock reminds, then writes to the organisation.
      for (const d of [2, 3, 4, 5]) {
        at(day + d, 2);
        await followUp();
      }
      await work(filed.id, day + 6, '楼道杂物已清运，已张贴告示');
      await verify(inspector, filed.id, day + 8);
      continue;
    }
    if (spec.story === 'zone_plan' || spec.story === 'escalate') {
      at(day + 1, 2);
      const zm = await ok<ZoneMeetingView>(
        leader,
        'POST',
        '/api/zone-meetings',
        {
          community: 'xiaduoyuan',
          zone: spec.zone,
          at: new Date(quarterStart.getTime() + (day + 2) * DAY + 11 * HOUR).toISOString(),
          place: '1号楼架空层',
          agenda: [filed.id],
        },
        201,
      );
      zoneMeetings++;
      at(day + 2, 12);
      await ok(leader, 'POST', `/api/zone-meetings/${zm.id}/attendance`, {
        attendees: [leader, 'zhang-nen', 'zhang-lifen'],
      });
      const outcome =
        spec.story === 'zone_plan'
          ? { kind: 'resolve_in_zone', plan: '物业更换门禁闭门器，居委会告知住户' }
          : {
              kind: 'escalate',
              resolution: '外墙维修需动用维修资金，上报联席会议研究',
              proposal: '由物业牵头评估维修方案',
            };
      await ok(leader, 'POST', `/api/zone-meetings/${zm.id}/minutes`, {
        minutes: spec.story === 'zone_plan' ? '门禁损坏由物业在区域内解决' : '外墙渗水区域无法解决',
        residentViews: '住户希望尽快处理',
        outcomes: [{ issue: filed.id, outcome }],
      });
      if (spec.story === 'zone_plan') {
        await work(filed.id, day + 3, '已更换门禁闭门器');
        await verify(inspector, filed.id, day + 5);
        continue;
      }
      await ok(leader, 'POST', `/api/issues/${filed.id}/escalate`);
      at(day + 3, 2);
      let jm = await ok<JointMeetingView>(
        'tu-zhongmei',
        'POST',
        '/api/joint-meetings',
        {
          community: 'xiaduoyuan',
          at: new Date(quarterStart.getTime() + (day + 7) * DAY + 11 * HOUR).toISOString(),
          place: '居委会会议室',
        },
        201,
      );
      jointMeetings++;
      at(day + 7, 12);
      await ok('tu-zhongmei', 'POST', `/api/joint-meetings/${jm.id}/attendance`, {
        present: JOINT_MEETING_PRESENT,
      });
      await ok('tu-zhongmei', 'POST', `/api/joint-meetings/${jm.id}/items/1/consultation`, {
        individual: '会前分别听取了物业和业委会意见',
        joint: '同意动用维修资金修复外墙，先行公示',
      });
      jm = await ok<JointMeetingView>('wen-liang', 'POST', `/api/joint-meetings/${jm.id}/items/1/vote`, {
        votes: { for: 11, against: 0, abstain: 2 },
      });
      await ok(
        'tu-zhongmei',
        'POST',
        `/api/joint-meetings/${jm.id}/items/1/resolution`,
        {
          text: '12号楼外墙由物业临时封堵止漏，整体维修列入明年维修资金计划',
          responsibleOrg: 'property',
          responsiblePerson: 'zhang-lifen',
          dueDate: new Date(quarterStart.getTime() + (day + 20) * DAY).toISOString().slice(0, 10),
          disposition: 'close',
        },
        201,
      );
      await ok('tu-zhongmei', 'PUT', `/api/joint-meetings/${jm.id}/minutes`, {
        text: '审议12号楼外墙渗水问题，表决通过。',
      });
      await ok('wen-liang', 'POST', `/api/joint-meetings/${jm.id}/minutes/approve`);
      continue;
    }
    await work(filed.id, day, `已处理：${spec.description.slice(0, 20)}`);
    if (n % 2) {
      // The inspector who reported it rates it (fixed, which closes it), as a resident would.
      at(day + 3, 1);
      await ok(inspector, 'POST', `/api/issues/${filed.id}/rating`, {
        score: [5, 4, 3, 5, 2][n % 5],
        fixed: true,
        comment: '处理及时',
      });
      ratings++;
    } else await verify(inspector, filed.id, day + 3);
  }

  // The duty desk on three weekdays: whoever is on duty logs a question; one becomes an issue.
  const questions = [
    { askedBy: '5号楼住户', topic: '咨询电动车充电桩安装', answer: '已告知向物业登记，统一安装' },
    { askedBy: '88号楼王阿姨', topic: '反映楼下健身器材损坏', answer: '已记录并转为问题处理' },
    { askedBy: '商户李先生', topic: '咨询店招审批流程', answer: '已告知到街道城管办理' },
  ];
  for (const [n, q] of questions.entries()) {
    const date = new Date(quarterStart.getTime() + (20 + n * 21) * DAY).toISOString().slice(0, 10);
    const shift = rota.shifts.find((s) => s.date === date);
    if (!shift) throw new Error(`demo: nobody on duty on ${date}`);
    clock.set(new Date(new Date(shift.start).getTime() + 2 * HOUR));
    const entry = await ok<{ id: string }>(shift.person.key, 'POST', '/api/duty/log', q, 201);
    dutyLogEntries++;
    if (n === 1) {
      const filed = await ok<IssueDetail>(
        shift.person.key,
        'POST',
        `/api/duty/log/${entry.id}/issue`,
        { category: 'public_facility', building: 88, spot: '楼下健身区' },
        201,
      );
      ids.push(filed.id);
      const day = Math.round((clock.now().getTime() - quarterStart.getTime()) / DAY);
      await work(filed.id, day + 1, '健身器材已加固');
      await verify(INSPECTOR['zone-3']!, filed.id, day + 3);
    }
  }
  return { issues: ids, dutyLogEntries, zoneMeetings, jointMeetings, ratings, notices: 1 };
}
