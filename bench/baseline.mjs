// The two baselines of `pnpm bench http`, in a process of their own (plain node, as the API runs):
// GET /hello answers a constant; GET /query does one SELECT through postgres.js on the bench's
// PostgreSQL database. Fastify and postgres.js are the very packages (and versions) the API uses.
// GET /floor/list is the floor of the zone list on this machine (GET /floor/issue/:id likewise of one
// issue with its timeline; POST /floor/accept/:id of a task's accept; POST /floor/complaint of an
// anonymous complaint): only the work that endpoint cannot do without — for the list, the session
// behind the bearer token checked by the API's own statement, the zone's page of 21 rows by the
// API's index order, the same JSON answer (names from the same config); for the writes, the API's
// own statements in its own batches — and nothing else: no logger, no token signature check, no
// validation, no security headers, no ORM. What the API costs beyond a floor is the price of those;
// a ratio target above the floor's own ratio cannot be met by any work on the API.
// Usage: node bench/baseline.mjs <postgres url>  — prints "listening <port> logged <port>" when ready.
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const apiRequire = createRequire(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../apps/api/package.json'),
);
const Fastify = apiRequire('fastify');
const postgres = apiRequire('postgres');
const YAML = apiRequire('yaml');

const sql = postgres(process.argv[2], { max: 10, onnotice: () => {} });
// The same HTTP server bounds as the API with its default settings (apps/api/src/env.ts:
// REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, CONNECTION_TIMEOUT_MS and
// `checkingInterval`), so the comparison is of the same server: each bound re-arms a timer on every
// request. Nothing else of the API (logger, request ids, headers) is added: this is the bare floor.
const app = Fastify({
  logger: false,
  requestTimeout: 60_000,
  keepAliveTimeout: 72_000,
  connectionTimeout: 120_000,
  http: { headersTimeout: 20_000, connectionsCheckingInterval: 2_000 },
});
app.get('/hello', async () => ({ status: 'ok' }));
app.get('/query', async () => {
  const [row] = await sql`select id, key, name from communities where key = ${'xiaduoyuan'}`;
  return row;
});

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = YAML.parse(readFileSync(path.join(ROOT, 'config/communities/xiaduoyuan.yaml'), 'utf8'));
const names = {
  zones: new Map(config.zones.map((z) => [z.key, z.name])),
  categories: new Map(config.categories.map((c) => [c.key, c.name])),
  people: new Map(config.people.map((p) => [p.key, p.name])),
};
const person = (key) => ({ key, name: names.people.get(key) ?? key });
const communityIds = new Map();
/** The session behind the bearer token, by the API's own statement (null: none live). */
async function sessionOf(request) {
  // The session id from the token's payload, unverified (the API verifies the signature first).
  const token = String(request.headers.authorization ?? '').slice('Bearer '.length);
  const sid = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}').sid;
  const [principal] = await sql`
    select a.id, a.kind, a.display_name, p.key as person_key, c.key as community_key, a.must_change_password
    from sessions s join accounts a on a.id = s.account_id
      left join people p on p.id = a.person_id left join communities c on c.id = p.community_id
    where s.id = ${sid} and s.revoked_at is null and s.expires_at > ${new Date().toISOString()}
      and a.disabled_at is null`;
  return principal ?? null;
}
app.get('/floor/list', async (request, reply) => {
  const principal = await sessionOf(request);
  if (!principal) return reply.code(401).send({ error: 'session_ended' });
  const { community, zone } = request.query;
  let id = communityIds.get(community);
  if (!id) {
    [{ id }] = await sql`select id from communities where key = ${community}`;
    communityIds.set(community, id);
  }
  const rows = await sql`
    select id, code, zone, building, spot, category, description, urgency, scope, status, tier, line,
      owner, assignees, channel, created_at, updated_at
    from issues where community_id = ${id} and zone = ${zone} and not hidden
    order by created_at desc nulls last, id desc nulls last limit 21`;
  const items = rows.slice(0, 20).map((r) => ({
    id: r.id,
    code: r.code,
    community,
    zone: r.zone,
    zoneName: names.zones.get(r.zone) ?? r.zone,
    building: r.building,
    spot: r.spot,
    category: r.category,
    categoryName: names.categories.get(r.category) ?? r.category,
    description: r.description,
    urgency: r.urgency,
    scope: r.scope,
    status: r.status,
    tier: r.tier,
    line: r.line,
    owner: r.owner ? person(r.owner) : null,
    assignees: r.assignees.map(person),
    channel: r.channel,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
  const last = rows.length > 20 ? rows[19] : null;
  return {
    items,
    nextCursor: last
      ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url')
      : null,
  };
});

// The floor of one issue with its timeline: the same session check, the API's own statement (the
// issue row, its community and all its work as JSON aggregates, plugins: issue_with_work in
// services/issues/get-issue.ts) and the row and its work sent as they come (no names, views or
// allowed actions: a smaller answer than the API's, so a floor above the real one, if anything).
app.get('/floor/issue/:id', async (request, reply) => {
  const principal = await sessionOf(request);
  if (!principal) return reply.code(401).send({ error: 'session_ended' });
  const [row] = await sql`
    select issues.*, communities.key as community_key,
      (select count(*)::int from issue_followers where issue_followers.issue_id = issues.id) as interest,
      coalesce((select json_agg(issue_events order by issue_events.id) from issue_events
        where issue_events.issue_id = issues.id), '[]'::json) as events,
      coalesce((select json_agg(photos order by photos.created_at, photos.id) from photos
        where photos.issue_id = issues.id and (photos.media_check is null or photos.media_check <> ${'risky'})), '[]'::json) as photos,
      coalesce((select json_agg(tasks order by tasks.seq) from tasks where tasks.issue_id = issues.id), '[]'::json) as tasks,
      coalesce((select json_agg(report_backs order by report_backs.to_person) from report_backs
        where report_backs.issue_id = issues.id), '[]'::json) as report_backs,
      (select json_agg(issue_ratings) from issue_ratings where issue_ratings.issue_id = issues.id) as rating,
      coalesce((select json_agg(issue_requests order by issue_requests.created_at) from issue_requests
        where issue_requests.issue_id = issues.id and issue_requests.status = 'pending'), '[]'::json) as requests
    from issues join communities on communities.id = issues.community_id
    where issues.id = ${request.params.id}`;
  if (!row) return reply.code(404).send({ error: 'issue_not_found' });
  const { reporter_phone, tracking_secret_hash, reporter_name, ...issue } = row;
  return issue;
});

// The floor of a task's accept: the session check, then the API's own statements of the step in
// one transaction, sent in the same batches as the API sends them (db/together.ts: what needs no
// answer of another goes together; postgres.js pipelines what is issued on the reserved
// connection without waiting): the task's issue and community; the issue FOR UPDATE, the quarter
// lock (KEY SHARE on the community, the archived quarters), the task FOR UPDATE; the task's update
// and the tasks in hand; the issue's update and its event; the message to the issue's owner (the
// outbox insert of services/notifications/notify.ts); commit. The database's own triggers (the
// quarter guards) run as for the API. The task as updated is sent back as it comes. No token
// signature check, validation, state machine, views, logger or headers: a floor above the real one.
app.post('/floor/accept/:id', async (request, reply) => {
  const principal = await sessionOf(request);
  if (!principal) return reply.code(401).send({ error: 'session_ended' });
  const id = request.params.id;
  const now = new Date().toISOString();
  const answer = await sql.begin(async (tx) => {
    const [where] = await tx`select issue_id, community_id from tasks where tasks.id = ${id}`;
    if (!where) return null;
    const [[issue], , , [task]] = await Promise.all([
      tx`select * from issues where issues.id = ${where.issue_id} for update`,
      tx`select id from communities where communities.id = ${where.community_id} for key share`,
      tx`select quarter, starts_at, ends_at from quarter_archives where quarter_archives.community_id = ${where.community_id}`,
      tx`select * from tasks where tasks.id = ${id} for update`,
    ]);
    if (task.status !== 'open' || task.assignee !== principal.person_key) return null;
    const [[after], active] = await Promise.all([
      tx`update tasks set status = 'accepted', note = null, next_escalation_at = ${task.resolve_due_at},
           overdue_stage = 0, accepted_at = ${now} where tasks.id = ${id} returning *`,
      tx`select assignee, status from tasks where tasks.issue_id = ${issue.id}
           and tasks.status in ('open', 'accepted', 'in_progress') order by tasks.seq`,
    ]);
    const assignees = [...new Set(active.map((t) => t.assignee))];
    const status = active.every((t) => t.status !== 'open') ? 'accepted' : issue.status;
    const [, [event]] = await Promise.all([
      tx`update issues set status = ${status}, assignees = ${assignees}, updated_at = ${now}
           where issues.id = ${issue.id} returning *`,
      tx`insert into issue_events (issue_id, action, from_status, to_status, actor_account_id, actor, note, data, created_at)
           values (${issue.id}, 'accept', ${issue.status}, ${status}, ${principal.id}, ${principal.person_key}, null,
             ${sql.json({ taskId: id, assignee: task.assignee })}, ${now}) returning *`,
    ]);
    const payload = JSON.stringify({
      title: `任务已接单 ${issue.code}`,
      body: `${principal.display_name}已接单。`,
      issueId: issue.id,
      letterId: null,
    });
    await tx`
      insert into outbox (dedupe_key, channel, kind, account_id, payload, status, next_attempt_at, created_at)
      select ${`ev:${event.id}`}::text || ':' || a.id || ':' || c.channel, c.channel, 'task_accepted', a.id,
             ${payload}::text::jsonb, 'pending', ${now}::timestamptz, ${now}::timestamptz
        from accounts a join people p on p.id = a.person_id
        cross join (values ('inbox'), ('wechat')) c(channel)
       where p.community_id = ${where.community_id}::uuid and p.key in (${issue.owner})
         and a.disabled_at is null and a.id is distinct from ${principal.id}::uuid
         and (c.channel = 'inbox' or a.wechat_openid is not null)
       order by a.id, c.channel
      on conflict do nothing`;
    return after;
  });
  if (!answer) return reply.code(409).send({ error: 'task_not_open' });
  return answer;
});

// The floor of an anonymous complaint with an Idempotency-Key: the API's own statements, in the
// batches the API sends them (db/together.ts), with values copied from a complaint the API made
// (`?like=<issue id>`: its row, its intake and routing events, its task — the routing decided
// in JavaScript is not redone): the key's claim; the per-address limit; the per-code limit and its
// count; begin; the issue, its intake event, the quarter lock and the routing event; the task, its
// message to the assignee, the message to the zone leader and the key's commit; commit; the answer
// stored (sealed with AES-GCM as the API seals it). Its answer is the tracking code and secret.
// No validation, no routing rules, no views, logger or headers: a floor above the real one.
const templates = new Map();
async function complaintTemplate(id) {
  let t = templates.get(id);
  if (!t) {
    const [issue] = await sql`select * from issues where id = ${id}`;
    const events = await sql`select * from issue_events where issue_id = ${id} order by id`;
    const [task] = await sql`select * from tasks where issue_id = ${id} order by seq`;
    t = { issue, events, task };
    templates.set(id, t);
  }
  return t;
}
const sealKey = randomBytes(32);
function seal(text) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
}
const limitSql = (key, now, reset) => sql`
  insert into rate_limit_counters (key, hits, reset_at) values (${key}, 1, ${reset})
  on conflict (key) do update set
    hits = case when rate_limit_counters.reset_at <= ${now}::timestamptz then 1 else rate_limit_counters.hits + 1 end,
    reset_at = case when rate_limit_counters.reset_at <= ${now}::timestamptz then excluded.reset_at else rate_limit_counters.reset_at end
  returning hits, reset_at`;
const messageSql = (tx, source, kind, communityId, person, now) => tx`
  insert into outbox (dedupe_key, channel, kind, account_id, payload, status, next_attempt_at, created_at)
  select ${source}::text || ':' || a.id || ':' || c.channel, c.channel, ${kind}::text, a.id,
         ${JSON.stringify({ title: `新问题 ${kind}`, body: '请及时处理。', issueId: null, letterId: null })}::text::jsonb,
         'pending', ${now}::timestamptz, ${now}::timestamptz
    from accounts a join people p on p.id = a.person_id
    cross join (values ('inbox'), ('wechat')) c(channel)
   where p.community_id = ${communityId}::uuid and p.key in (${person})
     and a.disabled_at is null and a.id is distinct from ${null}::uuid
     and (c.channel = 'inbox' or a.wechat_openid is not null)
   order by a.id, c.channel
  on conflict do nothing`;
let complaints = 0;
app.post('/floor/complaint', async (request, reply) => {
  const t = await complaintTemplate(request.query.like);
  const body = request.body;
  const key = String(request.headers['idempotency-key']);
  const owner = randomUUID();
  const at = new Date();
  const now = at.toISOString();
  const hour = new Date(at.getTime() + 3_600_000).toISOString();
  const [claimed] = await sql`
    insert into idempotency_keys (scope, key, fingerprint, state, owner, status_code, response, sealed, created_at, expires_at)
    values ('complaint', ${key}, ${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}, 'running',
      ${owner}, null, null, null, ${now}, ${new Date(at.getTime() + 86_400_000).toISOString()})
    on conflict (scope, key) do update set owner = excluded.owner where idempotency_keys.expires_at < ${now}
    returning key`;
  if (!claimed) return reply.code(409).send({ error: 'idempotency_in_progress' });
  await limitSql(`floor:addr:${request.headers['x-forwarded-for']}`, now, hour);
  const code = `${t.issue.community_id}:${body.building}`;
  await sql`
    with hit as (${limitSql(`floor:code:${code}`, now, hour)})
    select hit.hits, hit.reset_at, q.* from hit, (
      select count(*) filter (where issues.qr_code = ${code})::int as per_code,
             min(issues.created_at) filter (where issues.qr_code = ${code}) as oldest
        from issues
       where issues.created_at > ${new Date(at.getTime() - 3_600_000).toISOString()}::timestamptz
         and issues.urgency <> 'emergency' and issues.qr_code = ${code}) q`;
  const id = randomUUID();
  const secret = randomBytes(18).toString('base64url');
  const trackingCode = `F${process.pid.toString(36)}${(++complaints).toString(36)}`.toUpperCase();
  const issue = {
    ...t.issue,
    id,
    code: trackingCode,
    building: body.building,
    description: body.description,
    route: sql.json(t.issue.route),
    tracking_secret_hash: createHash('sha256').update(secret).digest('hex'),
    qr_code: null,
    created_at: now,
    updated_at: now,
  };
  const event = (e) => ({
    issue_id: id,
    action: e.action,
    from_status: e.from_status,
    to_status: e.to_status,
    actor_account_id: e.actor_account_id,
    actor: e.actor,
    note: e.note,
    data: e.data === null ? null : sql.json(e.data),
    created_at: now,
  });
  const { id: _task, seq: _seq, ...taskRow } = t.task;
  await sql.begin(async (tx) => {
    const [, [intake]] = await Promise.all([
      tx`insert into issues ${tx(issue)} returning *`,
      tx`insert into issue_events ${tx(event(t.events[0]))} returning *`,
      tx`select id from communities where communities.id = ${t.issue.community_id} for key share`,
      tx`select quarter, starts_at, ends_at from quarter_archives where quarter_archives.community_id = ${t.issue.community_id}`,
      tx`insert into issue_events ${tx(event(t.events[1] ?? t.events[0]))} returning *`,
    ]);
    await Promise.all([
      tx`insert into tasks ${tx({ ...taskRow, issue_id: id, created_at: now, status: 'open' })} returning *`,
      messageSql(tx, `ev:${intake.id}`, 'task_assigned', t.issue.community_id, t.task.assignee, now),
      messageSql(tx, `ev:${intake.id}:zone`, 'issue_new', t.issue.community_id, t.issue.owner, now),
      tx`update idempotency_keys set state = 'committed', response = ${sql.json({ trackingCode })}, sealed = ${seal(trackingCode)}
           where scope = 'complaint' and key = ${key} and owner = ${owner} and state = 'running' returning key`,
    ]);
  });
  const answer = JSON.stringify({ trackingCode, secret });
  await sql`
    update idempotency_keys set state = 'done', status_code = 201, sealed = ${seal(answer)}
     where scope = 'complaint' and key = ${key} and owner = ${owner} and state in ('running', 'committed')`;
  return reply.code(201).type('application/json').send(answer);
});

// The floor of the public duty-now answer, on a second server of this process (the first has no
// logger): a cacheable answer (Cache-Control, ETag, ~100 bytes with the time) and the one access
// line a request that the API writes (lib/access-log.ts: `request completed` with the request, the
// status and the time taken, through Fastify's pino to stdout) — nothing else of the API.
class AccessLine extends Fastify.LogController {
  incomingRequest() {}
  requestCompleted(_error, request, reply) {
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
const logged = Fastify({
  logger: { level: 'info' },
  logController: new AccessLine(),
  requestTimeout: 60_000,
  keepAliveTimeout: 72_000,
  connectionTimeout: 120_000,
  http: { headersTimeout: 20_000, connectionsCheckingInterval: 2_000 },
});
logged.get('/floor/duty', async (_request, reply) => {
  reply.header('cache-control', 'public, max-age=30').header('etag', '"r700XhPKEtbxBU1-efnyQM"');
  return { community: 'xiaduoyuan', communityName: '夏朵园居民区', at: new Date().toISOString(), onDuty: [] };
});

await app.listen({ port: 0, host: '127.0.0.1' });
await logged.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${app.server.address().port} logged ${logged.server.address().port}`);
process.on('SIGTERM', async () => {
  await logged.close();
  await app.close();
  await sql.end({ timeout: 1 });
  process.exit(0);
});
