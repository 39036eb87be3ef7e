// The two baselines of `pnpm bench http`, in a process of their own (plain node, as the API runs):
// GET /hello answers a constant; GET /query does one SELECT through postgres.js on the bench's
// PostgreSQL database. Fastify and postgres.js are the very packages (and versions) the API uses.
// GET /floor/list is the floor of the zone list on this machine (GET /floor/issue/:id likewise of one
// issue with its timeline): only the work that list cannot do
// without — the session behind the bearer token checked by the API's own statement, the zone's page
// of 21 rows by the API's index order, the same JSON answer (names from the same config) — and
// nothing else: no logger, no token signature check, no validation, no security headers, no ORM.
// What the API's list costs beyond it is the price of those; a ratio target below the floor's own
// ratio cannot be met by any work on the API.
// Usage: node bench/baseline.mjs <postgres url>  — prints "listening <port> logged <port>" when ready.
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
