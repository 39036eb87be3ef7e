import type { Community } from '@gongzhi/domain';
import type postgres from 'postgres';
import { refreshIssueCountsSql } from '../rollup/refresh-issue-counts';

/** config_hash of every generated community: how the generator (and its refusal) tells its own rows. */
export const DEMO_CONFIG_HASH = 'demo-data';

export interface DemoDataOptions {
  /** Generated communities are numbered from 0; `demo-00042` is number 42. */
  communities: number;
  /** The first community number (default 0): two runs on disjoint ranges can load in parallel. */
  from?: number;
  years: number;
  /** Issues per community per year (default 5,000: 1,000 communities × 2 years ≈ 10 M issues). */
  issuesPerYear?: number;
  /** Communities written per transaction (default 10). */
  batch?: number;
  /** The last instant of the generated history (default now). */
  now?: Date;
}

export interface DemoDataProgress {
  done: number;
  total: number;
  skipped: number;
  issues: number;
  seconds: number;
}

export const demoKey = (n: number) => `demo-${String(n).padStart(5, '0')}`;
export const demoName = (n: number) => `演示小区${n}`;

const lit = (s: string | null) => (s === null ? 'NULL' : `'${s.replaceAll("'", "''")}'`);
const arr = (xs: readonly (string | null)[]) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;

/**
 * A deterministic uuid (version 4 layout) from a community number, a table tag and a row number:
 * re-running a batch writes the same ids, and a community's rows sit together in the primary key.
 */
const uuidSql = (cn: string, tag: number, k: string) =>
  `(lpad(to_hex(${cn}), 8, '0') || '-${String(tag).padStart(4, '0')}-4000-8' || lpad(to_hex(${k}), 15, '0'))::uuid`;

/**
 * The real-data guard: rows the generator did not write (a community not marked as generated, or
 * any account or quarterly archive). Returns a description of what is there, or null when the database holds only
 * generated data (or nothing).
 */
export async function realDataIn(sql: postgres.Sql): Promise<string | null> {
  const [r] = await sql<{ communities: number; accounts: number; archives: number }[]>`
    select (select count(*)::int from communities where config_hash <> ${DEMO_CONFIG_HASH}) as communities,
           (select count(*)::int from accounts) as accounts,
           (select count(*)::int from quarter_archives) as archives`;
  if (!r || (r.communities === 0 && r.accounts === 0 && r.archives === 0)) return null;
  return `${r.communities} 个非生成的小区、${r.accounts} 个账号、${r.archives} 个季度归档`;
}

/**
 * The statement that writes the timelines (issue_events) of the generated issues `i` that `from`
 * names: one event per step their status, times and people imply — submitted, dispatched or
 * referred to the joint meeting, rejected, merged, parked, resolved, reopened, verified. Used by
 * generateDemoData and by the HTTP benchmark's loader (bench/http.ts), so both write one shape.
 */
export const timelineOf = (from: string) => `
    insert into issue_events (issue_id, action, from_status, to_status, actor, created_at)
    select i.id, e.action, e.from_status, e.to_status, e.actor, e.at
    from ${from}
    cross join lateral (values
      ('submit', null, 'submitted', 'resident', i.created_at, true),
      ('dispatch', 'submitted', 'dispatched', 'system', i.created_at + interval '1 minute',
        i.status not in ('submitted', 'escalated', 'rejected', 'merged')),
      ('refer', 'submitted', 'escalated', 'system', i.created_at + interval '1 minute', i.status = 'escalated'),
      ('reject', 'submitted', 'rejected', i.owner, i.created_at + interval '2 hours', i.status = 'rejected'),
      ('merge', 'submitted', 'merged', i.owner, i.created_at + interval '2 hours', i.status = 'merged'),
      ('park', 'dispatched', 'parked', i.owner, i.created_at + interval '3 days', i.status = 'parked'),
      ('resolve', 'in_progress', 'resolved', i.resolved_by, i.handled_at, i.handled_at is not null),
      ('reject_fix', 'resolved', 'reopened', 'resident', i.handled_at + (i.updated_at - i.handled_at) / 2,
        i.reopen_count > 0),
      ('verify', 'resolved', 'closed', i.owner, i.closed_at, i.closed_at is not null)
    ) e(action, from_status, to_status, actor, at, keep)
    where e.keep;
`;

/**
 * Writes `communities` copies of the base community with `years` of history ending `now`, all in
 * set-based SQL (one INSERT … SELECT generate_series per table and batch): zones, people and
 * memberships from the config; issues with a realistic mix of status, category, tier, channel,
 * urgency, late and on-time handling; their timelines (issue_events), one task each, ratings on
 * ~45 % of the handled ones, a monthly zone meeting per zone, and the roll-up counts. People get no
 * accounts: nobody can log in to generated data. Each batch is one transaction and a community that
 * already exists is skipped, so an interrupted run resumes where it stopped.
 */
export async function generateDemoData(
  sql: postgres.Sql,
  base: Community,
  opts: DemoDataOptions,
  progress: (p: DemoDataProgress) => void = () => {},
): Promise<DemoDataProgress> {
  const perYear = opts.issuesPerYear ?? 5_000;
  const perCommunity = Math.round(perYear * opts.years);
  const batch = opts.batch ?? 10;
  const now = (opts.now ?? new Date()).toISOString();
  const cfg = base.config;
  const zones = cfg.zones.map((z) => z.key);
  const leaders = cfg.zones.map((z) => z.leader.person);
  const workers = cfg.zones.map(
    (z) => z.members.find((m) => m.org === 'property')?.person ?? z.leader.person,
  );
  const lineLeader = new Map(cfg.lines.map((l) => [l.key, l.leader]));
  const cats = cfg.categories.map((c) => ({
    key: c.key,
    name: c.name,
    line: c.line ?? null,
    lead: c.line ? (lineLeader.get(c.line) ?? null) : null,
  }));
  // Weighted by repetition: residents scan QR codes most, the hotline and the street office least.
  const channels = [
    'resident_qr',
    'resident_qr',
    'resident_qr',
    'resident_qr',
    'resident_app',
    'resident_app',
    'patrol',
    'patrol',
    'property_patrol',
    'property_patrol',
    'duty_desk',
    'staff_on_behalf',
    'hotline_12345',
    'street_office',
  ];
  const [role] = await sql<
    { superuser: boolean }[]
  >`select rolsuper as superuser from pg_roles where rolname = current_user`;
  const superuser = role?.superuser === true;
  const t0 = performance.now();
  const state: DemoDataProgress = { done: 0, total: opts.communities, skipped: 0, issues: 0, seconds: 0 };

  const first = opts.from ?? 0;
  const end = first + opts.communities;
  for (let from = first; from < end; from += batch) {
    const numbers = Array.from({ length: Math.min(batch, end - from) }, (_, i) => from + i);
    const keys = numbers.map(demoKey);
    const existing = new Set(
      (await sql<{ key: string }[]>`select key from communities where key = any(${keys})`).map((r) => r.key),
    );
    const todo = numbers.filter((n) => !existing.has(demoKey(n)));
    state.skipped += numbers.length - todo.length;
    if (todo.length > 0) {
      await sql.begin(async (tx) => {
        await tx.unsafe('create temp table demo_batch (cn int, id uuid) on commit drop');
        // Bulk load: per-row triggers (the archived-quarter guard, foreign-key checks) are skipped for
        // this transaction. Safe here: the rows are consistent by construction, and the generator
        // refuses a database with real data, so no quarter is archived (realDataIn).
        if (superuser) await tx.unsafe('set local session_replication_role = replica');
        // The statements are long expressions the JIT spends tens of seconds compiling: off.
        await tx.unsafe('set local jit = off');
        for (const n of todo) {
          const [row] = await tx<{ id: string }[]>`
            insert into communities (key, name, config, config_hash)
            values (${demoKey(n)}, ${demoName(n)}, ${tx.json({ ...cfg, key: demoKey(n), name: demoName(n) } as never)}, ${DEMO_CONFIG_HASH})
            returning id`;
          await tx`insert into demo_batch values (${n}, ${row!.id})`;
        }
        for (const statement of batchSql({
          perCommunity,
          years: opts.years,
          now,
          zones,
          leaders,
          workers,
          cats,
          channels,
        })) {
          const t = performance.now();
          await tx.unsafe(statement);
          if (process.env.DEMO_DATA_TIMING)
            console.log(
              `    ${((performance.now() - t) / 1000).toFixed(1)} s  ${statement.trim().slice(0, 40)}`,
            );
        }
      });
      state.issues += todo.length * perCommunity;
    }
    state.done += numbers.length;
    // Statistics as the tables grow: queries on a half-loaded database plan for its real size.
    if (todo.length > 0 && (state.done - state.skipped) % 100 === 0) await sql.unsafe('analyze');
    state.seconds = (performance.now() - t0) / 1000;
    progress({ ...state });
  }
  // The summary is current for what was generated: the job clock continues from here.
  await sql`insert into issue_counts_state (id, watermark, refreshed_at) values (1, ${now}, ${now})
            on conflict (id) do nothing`;
  await sql.unsafe('analyze');
  state.seconds = (performance.now() - t0) / 1000;
  return state;
}

export function batchSql(p: {
  perCommunity: number;
  years: number;
  now: string;
  zones: string[];
  leaders: string[];
  workers: string[];
  cats: { key: string; name: string; line: string | null; lead: string | null }[];
  channels: string[];
}): string[] {
  const nz = p.zones.length;
  const nc = p.cats.length;
  const now = `timestamptz ${lit(p.now)}`;
  const span = `(${p.years} * interval '365 days')`;
  // r(i): a stable pseudo-random number 0–999 per issue and draw.
  const r = (i: number) => `(abs(hashint8(b.cn::bigint * 1000003 + g.k * 16 + ${i})) % 1000)`;
  return `
    insert into people (community_id, key, name, show_contact)
    select b.id, p->>'key', p->>'name', false
    from demo_batch b join communities c on c.id = b.id, jsonb_array_elements(c.config->'people') p;

    insert into zones (community_id, key, name, buildings)
    select b.id, z->>'key', z->>'name', coalesce(z->'buildings', '[]'::jsonb)
    from demo_batch b join communities c on c.id = b.id, jsonb_array_elements(c.config->'zones') z;

    insert into memberships (zone_id, person_id, org, leader)
    select zn.id, pe.id, m.org, m.leader
    from demo_batch b join communities c on c.id = b.id
      cross join lateral jsonb_array_elements(c.config->'zones') z
      cross join lateral (select z->'leader'->>'person' as person, z->'leader'->>'org' as org, true as leader
               union all
               select mm->>'person', mm->>'org', false from jsonb_array_elements(z->'members') mm) m
      join zones zn on zn.community_id = b.id and zn.key = z->>'key'
      join people pe on pe.community_id = b.id and pe.key = m.person
    on conflict do nothing;

    insert into issues (id, community_id, code, zone, category, description, urgency, scope,
      uses_maintenance_fund, touches_shared_parts, multi_org, channel, status, tier, line, owner,
      assignees, route, hidden, resolved_at, handled_at, reopen_count, resolve_due_at, resolved_by,
      contact_due_at, first_contact_at, closed_at, created_at, updated_at)
    select id, community_id, code, zone, cat, description, urgency, 'building', false, false, false,
      channel, status, tier, line, owner,
      case when status in ('dispatched', 'accepted', 'in_progress', 'reopened') then array[worker] else '{}' end,
      jsonb_build_object('tier', tier, 'zone', zone, 'line', line, 'owner', owner, 'tasks', '[]'::jsonb,
        'procedures', '[]'::jsonb, 'reasons', '[]'::jsonb),
      false, case when status = 'resolved' then handled end, handled, reopens, due,
      case when handled is not null then worker end,
      created + interval '1 day', first_contact, closed, created,
      greatest(created, coalesce(closed, handled, created))
    from (
      select ${uuidSql('b.cn', 1, 'g.k')} as id, b.id as community_id,
        'D' || lpad(b.cn::text, 5, '0') || '-' || g.k as code,
        (${arr(p.zones)})[1 + zi] as zone, (${arr(p.leaders)})[1 + zi] as leader,
        (${arr(p.workers)})[1 + zi] as worker,
        (${arr(p.cats.map((c) => c.key))})[1 + ci] as cat,
        (${arr(p.cats.map((c) => c.line))})[1 + ci] as line,
        (${arr(p.cats.map((c) => c.lead))})[1 + ci] as line_leader,
        '演示数据：' || (${arr(p.cats.map((c) => c.name))})[1 + ci] as description,
        (${arr(p.channels)})[1 + ${r(2)} % ${p.channels.length}] as channel,
        u.urgency, t.created, t.due, s.status, s.reopens,
        case when s.status = 'escalated' then 'joint_meeting' when s.status = 'submitted' then 'triage'
             when (${arr(p.cats.map((c) => c.line))})[1 + ci] is not null then 'line' else 'zone' end as tier,
        case when s.status = 'submitted' then null
             else coalesce((${arr(p.cats.map((c) => c.lead))})[1 + ci], (${arr(p.leaders)})[1 + zi]) end as owner,
        h.handled,
        case when s.status = 'closed' then least(h.handled + interval '3 days', ${now}) end as closed,
        case when s.status in ('rejected', 'merged') or ${r(6)} >= 920 then null
             else least(t.created + (${r(6)} % 40) * interval '1 hour' + interval '10 minutes', ${now}) end as first_contact
      from demo_batch b
      cross join generate_series(0, ${p.perCommunity - 1}) g(k)
      cross join lateral (select (g.k * 7 + ${r(1)}) % ${nz} as zi, ${r(3)} % ${nc} as ci) ix
      cross join lateral (select case when ${r(4)} < 900 then 'normal' when ${r(4)} < 980 then 'urgent'
                                      else 'emergency' end as urgency) u
      cross join lateral (
        select c0 as created,
               c0 + case u.urgency when 'normal' then interval '7 days' when 'urgent' then interval '2 days'
                                   else interval '1 day' end as due,
               extract(epoch from ${now} - c0) / 86400 as age
        from (select ${now} - ${span} + ((g.k + ${r(0)} / 1000.0) / ${p.perCommunity}) * ${span} as c0) c) t
      cross join lateral (
        select case when t.age > 45 then
                 case when ${r(5)} < 820 then 'closed' when ${r(5)} < 860 then 'rejected'
                      when ${r(5)} < 890 then 'merged' when ${r(5)} < 920 then 'parked'
                      when ${r(5)} < 945 then 'escalated' else 'closed' end
               else
                 case when ${r(5)} < 330 then 'closed' when ${r(5)} < 500 then 'resolved'
                      when ${r(5)} < 610 then 'dispatched' when ${r(5)} < 680 then 'accepted'
                      when ${r(5)} < 790 then 'in_progress' when ${r(5)} < 820 then 'reopened'
                      when ${r(5)} < 850 then 'escalated' when ${r(5)} < 870 then 'parked'
                      when ${r(5)} < 900 then 'submitted' when ${r(5)} < 950 then 'rejected' else 'merged' end
               end as status,
               case when ${r(5)} < 820 and ${r(7)} < 60 then 1 else 0 end as reopens_closed) s0
      cross join lateral (select s0.status,
               case when s0.status = 'reopened' then 1 when s0.status = 'closed' then s0.reopens_closed else 0 end
                 as reopens) s
      -- Time to handle: 1 h to ~17 days, most within a week; capped so it is never in the future.
      cross join lateral (select case when s.status in ('closed', 'resolved', 'reopened') then
               least(t.created + (1 + ${r(8)} * ${r(8)} / 2500.0) * interval '1 hour',
                     t.created + (${now} - t.created) / 2) end as handled) h
    ) x;

    ${timelineOf('demo_batch b join issues i on i.community_id = b.id')}

    insert into tasks (id, issue_id, community_id, assignee, role, org, status, accept_due_at,
      resolve_due_at, created_at, accepted_at, resolved_at, ended_at)
    select ${uuidSql('b.cn', 2, "(split_part(i.code, '-', 2))::bigint")}, i.id, i.community_id,
      coalesce(i.resolved_by, i.assignees[1], i.owner), 'property_specialist', 'property',
      case when i.handled_at is not null then 'done' when i.status = 'dispatched' then 'open'
           when i.status = 'accepted' then 'accepted' when i.status in ('in_progress', 'reopened') then 'in_progress'
           else 'cancelled' end,
      i.created_at + interval '1 day', i.resolve_due_at, i.created_at + interval '1 minute',
      case when i.handled_at is not null or i.status in ('accepted', 'in_progress', 'reopened')
           then i.created_at + interval '30 minutes' end,
      i.handled_at, i.handled_at
    from demo_batch b join issues i on i.community_id = b.id
    where i.status not in ('submitted', 'rejected', 'merged');

    insert into issue_ratings (id, issue_id, community_id, score, fixed, channel, created_at)
    select ${uuidSql('b.cn', 3, "(split_part(i.code, '-', 2))::bigint")}, i.id, i.community_id, sc.score,
      i.reopen_count = 0 and sc.score >= 3, 'online', least(i.handled_at + interval '1 day', ${now})
    from demo_batch b join issues i on i.community_id = b.id
    cross join lateral (select abs(hashtext(i.code)) % 100 as q) h
    cross join lateral (select case when h.q < 50 then 5 when h.q < 75 then 4 when h.q < 87 then 3
                                    when h.q < 94 then 2 else 1 end as score) sc
    where i.handled_at is not null and abs(hashtext(i.code || 'r')) % 100 < 45;

    insert into zone_meetings (community_id, zone, status, at, place, convened_by, invitees, attendees,
      minutes, minutes_recorded_at, created_at, updated_at)
    select b.id, z->>'key', 'minutes_recorded', m.at, '社区议事厅', z->'leader'->>'person', mem.people, mem.people,
      '演示数据：会议纪要', m.at + interval '1 day', m.at - interval '7 days', m.at + interval '1 day'
    from demo_batch b join communities c on c.id = b.id, jsonb_array_elements(c.config->'zones') z,
      lateral (select array_agg(mm->>'person') as people from jsonb_array_elements(z->'members') mm) mem,
      generate_series(date_trunc('month', ${now} - ${span}) + interval '14 days 19 hours',
                      ${now} - interval '2 days', interval '1 month') m(at);


    ${refreshIssueCountsSql('(select id from demo_batch)').join(';\n\n')};
  `
    .split(/;\n\n|;\n\s*$/)
    .map((s) => s.trim())
    .filter(Boolean);
}
