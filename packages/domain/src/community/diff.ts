import { z } from 'zod';
import { type CommunityConfig, type MemberRef, ORG_NAMES } from './schema';

/** One difference between two versions of a community's config, with a sentence people read. */
export const ConfigDiffEntry = z.object({
  /** Where, keyed by item keys rather than list positions: `people[zhang-lifen].active`. */
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** The difference in Chinese, naming people by name: "第一责任区域：新增成员 王芳（物业公司）". */
  text: z.string(),
});
export type ConfigDiffEntry = z.infer<typeof ConfigDiffEntry>;

type Keyed = { key: string };
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** JSON with object keys sorted: equal data gives equal text whatever order its keys came in (jsonb). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const byKey = <T extends Keyed>(list: T[]) => new Map(list.map((x) => [x.key, x]));

const SECTION_NAMES: Record<string, string> = {
  key: '键',
  name: '名称',
  timezone: '时区',
  principle: '工作原则',
  categories: '问题类别',
  facilities: '设施',
  routing: '分派规则',
  calendar: '节假日日历',
  sla: '办理时限',
  followUp: '超时督办',
  duty: '值班',
  meetings: '会议',
  credit: '诚信档案',
};

/**
 * The differences from `before` to `after`, people, zones, lines and roles first, each with a
 * sentence naming people by name; other sections are compared item by item (lists of keyed items)
 * or as a whole. `before` null: the community is new.
 */
export function diffCommunityConfigs(
  before: CommunityConfig | null,
  after: CommunityConfig,
): ConfigDiffEntry[] {
  if (!before) {
    return [
      {
        path: '',
        change: 'added',
        text: `新建小区 ${after.name}：${after.people.length} 名人员，${after.zones.length} 个区域，${after.lines.length} 个条线`,
      },
    ];
  }
  const out: ConfigDiffEntry[] = [];
  const names = new Map([...before.people, ...after.people].map((p) => [p.key, p.name]));
  const who = (key: string | undefined) => (key ? `${names.get(key) ?? key}` : '（无）');
  const member = (m: MemberRef) => `${who(m.person)}（${ORG_NAMES[m.org]}）`;
  const push = (e: ConfigDiffEntry) => out.push(e);

  // People.
  const pb = byKey(before.people);
  const pa = byKey(after.people);
  for (const p of after.people) {
    const old = pb.get(p.key);
    const path = `people[${p.key}]`;
    if (!old) {
      push({
        path,
        change: 'added',
        after: p,
        text: `新增人员 ${p.name}（${p.key}）${p.phone ? `，电话 ${p.phone}` : ''}`,
      });
      continue;
    }
    if (old.name !== p.name)
      push({
        path: `${path}.name`,
        change: 'changed',
        before: old.name,
        after: p.name,
        text: `人员改名：${old.name} → ${p.name}`,
      });
    if ((old.phone ?? null) !== (p.phone ?? null))
      push({
        path: `${path}.phone`,
        change: 'changed',
        before: old.phone ?? null,
        after: p.phone ?? null,
        text: `${p.name} 的电话：${old.phone ?? '（无）'} → ${p.phone ?? '（无）'}`,
      });
    if (old.showContact !== p.showContact)
      push({
        path: `${path}.showContact`,
        change: 'changed',
        before: old.showContact,
        after: p.showContact,
        text: `${p.name} ${p.showContact ? '向居民公开联系方式' : '不再向居民公开联系方式'}`,
      });
    if (old.active !== p.active)
      push({
        path: `${path}.active`,
        change: 'changed',
        before: old.active,
        after: p.active,
        text: p.active ? `恢复启用人员 ${p.name}` : `停用人员 ${p.name}（已离任，历史记录保留）`,
      });
  }
  for (const p of before.people) {
    if (!pa.has(p.key))
      push({
        path: `people[${p.key}]`,
        change: 'removed',
        before: p,
        text: `删除人员 ${p.name}（${p.key}）`,
      });
  }

  // Zones: leader, members, then anything else of the zone.
  const zb = byKey(before.zones);
  const za = byKey(after.zones);
  for (const z of after.zones) {
    const old = zb.get(z.key);
    const path = `zones[${z.key}]`;
    if (!old) {
      push({ path, change: 'added', after: z, text: `新增区域 ${z.name}，组长 ${who(z.leader.person)}` });
      continue;
    }
    if (!same(old.leader, z.leader))
      push({
        path: `${path}.leader`,
        change: 'changed',
        before: old.leader,
        after: z.leader,
        text: `${z.name} 组长：${who(old.leader.person)} → ${who(z.leader.person)}`,
      });
    const id = (m: MemberRef) => `${m.person}/${m.org}`;
    const mb = new Set(old.members.map(id));
    const ma = new Set(z.members.map(id));
    for (const m of z.members)
      if (!mb.has(id(m)))
        push({
          path: `${path}.members`,
          change: 'added',
          after: m,
          text: `${z.name}：新增成员 ${member(m)}`,
        });
    for (const m of old.members)
      if (!ma.has(id(m)))
        push({
          path: `${path}.members`,
          change: 'removed',
          before: m,
          text: `${z.name}：移除成员 ${member(m)}`,
        });
    for (const field of ['name', 'buildings', 'note'] as const) {
      if (!same(old[field], z[field]))
        push({
          path: `${path}.${field}`,
          change: 'changed',
          before: old[field],
          after: z[field],
          text: `${z.name} 的${{ name: '名称', buildings: '楼号范围', note: '备注' }[field]}：${show(old[field])} → ${show(z[field])}`,
        });
    }
  }
  for (const z of before.zones)
    if (!za.has(z.key))
      push({ path: `zones[${z.key}]`, change: 'removed', before: z, text: `删除区域 ${z.name}` });

  // Lines.
  const lb = byKey(before.lines);
  const la = byKey(after.lines);
  for (const l of after.lines) {
    const old = lb.get(l.key);
    const path = `lines[${l.key}]`;
    if (!old) {
      push({ path, change: 'added', after: l, text: `新增条线 ${l.name}，负责人 ${who(l.leader)}` });
      continue;
    }
    if (old.leader !== l.leader)
      push({
        path: `${path}.leader`,
        change: 'changed',
        before: old.leader ?? null,
        after: l.leader ?? null,
        text: `${l.name}条线负责人：${who(old.leader)} → ${who(l.leader)}`,
      });
    if (old.assignee !== l.assignee)
      push({
        path: `${path}.assignee`,
        change: 'changed',
        before: old.assignee ?? null,
        after: l.assignee ?? null,
        text: `${l.name}条线指定处理人：${who(old.assignee)} → ${who(l.assignee)}`,
      });
    if (old.name !== l.name || old.duty !== l.duty)
      push({ path, change: 'changed', before: old, after: l, text: `条线 ${l.name} 的名称或职责已修改` });
  }
  for (const l of before.lines)
    if (!la.has(l.key))
      push({ path: `lines[${l.key}]`, change: 'removed', before: l, text: `删除条线 ${l.name}` });

  // Single roles.
  if (before.secretary !== after.secretary)
    push({
      path: 'secretary',
      change: 'changed',
      before: before.secretary ?? null,
      after: after.secretary ?? null,
      text: `秘书：${who(before.secretary)} → ${who(after.secretary)}`,
    });
  if (before.propertyManager !== after.propertyManager)
    push({
      path: 'propertyManager',
      change: 'changed',
      before: before.propertyManager ?? null,
      after: after.propertyManager ?? null,
      text: `物业经理：${who(before.propertyManager)} → ${who(after.propertyManager)}`,
    });
  const cb = before.supervisoryCommittee;
  const ca = after.supervisoryCommittee;
  if (cb.chair !== ca.chair || cb.members.join() !== ca.members.join())
    push({
      path: 'supervisoryCommittee',
      change: 'changed',
      before: cb,
      after: ca,
      text: `监督委员会：${cb.members.map(who).join('、') || '无'} → ${ca.members.map(who).join('、') || '无'}`,
    });
  const gb = before.leadershipGroup;
  const ga = after.leadershipGroup;
  if (gb.leader !== ga.leader)
    push({
      path: 'leadershipGroup.leader',
      change: 'changed',
      before: gb.leader,
      after: ga.leader,
      text: `领导小组组长：${who(gb.leader)} → ${who(ga.leader)}`,
    });
  for (const m of ga.members)
    if (!gb.members.includes(m))
      push({
        path: 'leadershipGroup.members',
        change: 'added',
        after: m,
        text: `领导小组：新增成员 ${who(m)}`,
      });
  for (const m of gb.members)
    if (!ga.members.includes(m))
      push({
        path: 'leadershipGroup.members',
        change: 'removed',
        before: m,
        text: `领导小组：移除成员 ${who(m)}`,
      });

  // Everything else, section by section.
  const handled = new Set([
    'people',
    'zones',
    'lines',
    'secretary',
    'propertyManager',
    'leadershipGroup',
    'supervisoryCommittee',
  ]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    if (handled.has(k)) continue;
    const b = (before as Record<string, unknown>)[k];
    const a = (after as Record<string, unknown>)[k];
    if (same(b, a)) continue;
    const section = SECTION_NAMES[k] ?? k;
    if (isKeyedList(b) && isKeyedList(a)) {
      const mb = byKey(b);
      const ma = byKey(a);
      const label = (x: Keyed & { name?: string }) => (x.name ? `${x.name}（${x.key}）` : x.key);
      for (const x of a) {
        const old = mb.get(x.key);
        if (!old)
          push({ path: `${k}[${x.key}]`, change: 'added', after: x, text: `${section}：新增 ${label(x)}` });
        else if (!same(old, x))
          push({
            path: `${k}[${x.key}]`,
            change: 'changed',
            before: old,
            after: x,
            text: `${section}：修改 ${label(x)}`,
          });
      }
      for (const x of b)
        if (!ma.has(x.key))
          push({
            path: `${k}[${x.key}]`,
            change: 'removed',
            before: x,
            text: `${section}：删除 ${label(x)}`,
          });
      continue;
    }
    push({ path: k, change: 'changed', before: b, after: a, text: `${section}设置已修改` });
  }
  return out;
}

function isKeyedList(v: unknown): v is (Keyed & { name?: string })[] {
  return (
    Array.isArray(v) &&
    v.every((x) => typeof x === 'object' && x !== null && typeof (x as Keyed).key === 'string')
  );
}

function show(v: unknown): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return '（无）';
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}
