/**
 * Open311 GeoReport v2 (issue 19, item 6): every answer checked against the specification's field
 * lists (tests/helpers/georeport-spec.ts), in JSON and in XML (parsed with fast-xml-parser); bad
 * input answers the spec's error list and writes nothing; and the npm Open311 client (`open311`)
 * lists the services, submits a request and reads it back over real HTTP on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { and, count, eq } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import Open311 from 'open311';
import {
  idempotencyKeysTable,
  issueEventsTable,
  issuesTable,
  open311KeysTable,
} from '../../apps/api/src/db/schema';
import { deriveKey, seal } from '../../apps/api/src/lib/secrets';
import { createOpen311Key } from '../../apps/api/src/services/open311/create-open311-key';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { GEOREPORT_FIELDS, GEOREPORT_XML } from '../helpers/georeport-spec';

jest.setTimeout(120_000);

let t: TestApp;
let base: string;
let admin: Awaited<ReturnType<TestApp['loginAs']>>;
let key: string;
let keyId: string;
const J = 'xiaduoyuan';
const JWT_SECRET = 'test-secret-that-is-long-enough-000000'; // build-app's

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  t.app.deps.settings.PUBLIC_URL = base;
  admin = await t.loginAs('admin');
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/admin/open311-keys',
    headers: admin.auth,
    payload: { name: '区城运中心平台', community: J },
  });
  expect(issued.statusCode).toBe(201);
  key = issued.json().key;
  keyId = issued.json().id;
});
afterAll(() => t.close());

const xml = new XMLParser({
  isArray: (name) =>
    ['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format'].includes(name),
  parseTagValue: false,
});
const keysOf = (o: object) => Object.keys(o).sort();
const fields = (k: keyof typeof GEOREPORT_FIELDS) => [...GEOREPORT_FIELDS[k].fields].sort();

let addr = 0;
const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: `10.31.1.${++addr % 250}` });
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const post = (fmt: 'json' | 'xml', body: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${fmt}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(body),
  });
const issueCount = async () => (await t.db.select({ n: count() }).from(issuesTable))[0]!.n;

/** The spec's error list, JSON or XML: each error has exactly code and description. */
function errorsOf(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  fmt: 'json' | 'xml',
) {
  let errors: { code: unknown; description: string }[];
  if (fmt === 'xml') {
    expect(String(res.headers['content-type'])).toMatch(/^text\/xml/);
    const doc = xml.parse(res.body);
    errors = doc[GEOREPORT_XML.errors.root][GEOREPORT_XML.errors.item];
  } else {
    errors = JSON.parse(res.body);
  }
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(keysOf(e)).toEqual(fields('error'));
    expect(Number(e.code)).toBe(res.statusCode);
  }
  return errors.map((e) => e.description).join('\n');
}

describe('discovery', () => {
  test('JSON and XML: the spec’s fields, the v2 endpoint with both formats', async () => {
    const j = await get('/open311/discovery.json');
    expect(j.statusCode).toBe(200);
    const d = j.json();
    expect(keysOf(d)).toEqual(fields('discovery'));
    expect(keysOf(d.endpoints[0])).toEqual(fields('endpoint'));
    expect(d.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${base}/open311/v2`,
      type: 'production',
      formats: ['application/json', 'text/xml'],
    });
    const x = await get('/open311/discovery.xml');
    expect(x.headers['content-type']).toMatch(/^text\/xml/);
    const doc = xml.parse(x.body).discovery;
    expect(keysOf(doc)).toEqual(fields('discovery'));
    expect(keysOf(doc.endpoints.endpoint[0])).toEqual(fields('endpoint'));
    expect(doc.endpoints.endpoint[0].formats.format).toEqual(['application/json', 'text/xml']);
  });
});

describe('services', () => {
  test('the list: one service per category, every field of the spec, JSON and XML alike', async () => {
    const j = await get(`/open311/v2/services.json?jurisdiction_id=${J}`);
    expect(j.statusCode).toBe(200);
    const services = j.json() as Record<string, unknown>[];
    expect(services.map((s) => s.service_code)).toEqual([...t.xdy.categories.keys()]);
    for (const s of services) expect(keysOf(s)).toEqual(fields('service'));
    expect(services.find((s) => s.service_code === 'elevator')).toMatchObject({
      service_name: '电梯故障',
      type: 'realtime',
      metadata: true,
    });
    const x = await get(`/open311/v2/services.xml?jurisdiction_id=${J}`);
    const list = xml.parse(x.body)[GEOREPORT_XML.services.root][GEOREPORT_XML.services.item];
    expect(list).toHaveLength(services.length);
    for (const s of list) expect(keysOf(s)).toEqual(fields('service'));
    expect(list[0].service_code).toBe(services[0]!.service_code);
    expect(list[0].metadata).toBe('true');
  });
  test('one jurisdiction: jurisdiction_id may be left out; an unknown one is 404 in the spec’s format', async () => {
    expect((await get('/open311/v2/services.json')).statusCode).toBe(200);
    for (const fmt of ['json', 'xml'] as const) {
      const r = await get(`/open311/v2/services.${fmt}?jurisdiction_id=atlantis`);
      expect(r.statusCode).toBe(404);
      expect(errorsOf(r, fmt)).toContain('unknown jurisdiction_id');
    }
  });
  test('a definition: the urgency attribute with its values; an unknown code is 404', async () => {
    const j = await get(`/open311/v2/services/elevator.json?jurisdiction_id=${J}`);
    expect(j.statusCode).toBe(200);
    const d = j.json();
    expect(keysOf(d)).toEqual(fields('serviceDefinition'));
    for (const a of d.attributes) {
      expect(keysOf(a)).toEqual(fields('attribute'));
      for (const v of a.values) expect(keysOf(v)).toEqual(fields('attributeValue'));
    }
    const x = xml.parse((await get(`/open311/v2/services/elevator.xml?jurisdiction_id=${J}`)).body);
    const attr = x.service_definition.attributes.attribute[0];
    expect(keysOf(attr)).toEqual(fields('attribute'));
    expect(attr.values.value.map((v: { key: string }) => v.key)).toEqual(['normal', 'urgent', 'emergency']);
    for (const fmt of ['json', 'xml'] as const) {
      const r = await get(`/open311/v2/services/teleport.${fmt}?jurisdiction_id=${J}`);
      expect(r.statusCode).toBe(404);
      expect(errorsOf(r, fmt)).toContain('unknown service_code');
    }
  });
  test('an unknown path under /open311 answers the spec’s 404', async () => {
    const r = await get('/open311/v2/nothing.xml');
    expect(r.statusCode).toBe(404);
    expect(errorsOf(r, 'xml')).toContain('no such Open311 endpoint');
  });
});

describe('submitting', () => {
  let code: string;
  test('form-encoded with a key: a complaint routed as any, channel open311, the system named', async () => {
    const r = await post('json', {
      api_key: key,
      jurisdiction_id: J,
      service_code: 'elevator',
      address_string: '夏朵园 12号楼 3 单元 502 室',
      lat: '31.2345678',
      long: '121.4567891',
      first_name: '小明',
      last_name: '王',
      phone: '+86 138-1234-5678',
      email: 'wang@example.com',
      description: '12号楼电梯困人，请联系 13812345678',
      'attribute[urgency]': 'urgent',
    });
    expect(r.statusCode).toBe(201);
    const [submitted] = r.json();
    expect(keysOf(submitted)).toEqual(fields('submitted'));
    code = submitted.service_request_id;
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, code));
    expect(issue).toMatchObject({
      channel: 'open311',
      building: 12,
      zone: 'zone-1',
      category: 'elevator',
      urgency: 'urgent',
      status: 'dispatched',
      tier: 'line',
      line: 'elevator',
      reporterName: '王小明',
      reporterPhone: '13812345678',
    });
    const [intake] = await t.db
      .select()
      .from(issueEventsTable)
      .where(and(eq(issueEventsTable.issueId, issue!.id), eq(issueEventsTable.action, 'submit')));
    expect(intake!.data).toMatchObject({ open311: { keyId, system: '区城运中心平台' } });
    const [k] = await t.db.select().from(open311KeysTable).where(eq(open311KeysTable.id, keyId));
    expect(k!.lastUsedAt).not.toBeNull();
  });

  test('reading it back: public, every field, no personal data (name, phone, unit, exact pin)', async () => {
    for (const url of [
      `/open311/v2/requests/${code}.json`,
      `/open311/v2/requests.json?service_request_id=${code}`,
    ]) {
      const r = await get(url);
      expect(r.statusCode).toBe(200);
      const [req] = r.json();
      expect(keysOf(req)).toEqual(fields('request'));
      expect(req).toMatchObject({
        service_request_id: code,
        status: 'open',
        status_notes: '已派单',
        service_code: 'elevator',
        service_name: '电梯故障',
        address: `${t.xdy.name}第一责任区域12号楼`,
        address_id: '12',
        lat: 31.235,
        long: 121.457,
      });
      for (const secret of ['小明', '13812345678', '502', 'wang@example.com', '31.2345678'])
        expect(r.body).not.toContain(secret);
      expect(req.description).toContain('138****5678');
    }
    const x = await get(`/open311/v2/requests/${code}.xml`);
    const list = xml.parse(x.body)[GEOREPORT_XML.requests.root][GEOREPORT_XML.requests.item];
    expect(list).toHaveLength(1);
    expect(keysOf(list[0])).toEqual(fields('request'));
    expect(list[0]).toMatchObject({ service_request_id: code, status: 'open', address_id: '12' });
  });

  test('JSON bodies are accepted, the answer in XML has the spec’s elements; Idempotency-Key replays', async () => {
    const body = {
      api_key: key,
      service_code: 'greening',
      address_id: 'commercial',
      description: '商业街绿化带枯死',
    };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.xml',
        headers: { 'idempotency-key': 'open311-replay-0001' },
        payload: body,
      });
    const before = await issueCount();
    const first = await send();
    expect(first.statusCode).toBe(201);
    const doc = xml.parse(first.body)[GEOREPORT_XML.requests.root][GEOREPORT_XML.requests.item];
    expect(keysOf(doc[0])).toEqual(fields('submitted'));
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.parse(again.body).service_requests.request[0].service_request_id).toBe(
      doc[0].service_request_id,
    );
    expect(await issueCount()).toBe(before + 1);
    const [issue] = await t.db
      .select()
      .from(issuesTable)
      .where(eq(issuesTable.code, doc[0].service_request_id));
    expect(issue).toMatchObject({ zone: 'commercial', building: null, channel: 'open311' });
  });

  test('no place routing can use: the triage desk, as a complaint without a place', async () => {
    const r = await post('json', {
      api_key: key,
      service_code: 'sanitation',
      lat: '31.2',
      long: '121.4',
      description: '路边垃圾堆放',
    });
    expect(r.statusCode).toBe(201);
    const [issue] = await t.db
      .select()
      .from(issuesTable)
      .where(eq(issuesTable.code, r.json()[0].service_request_id));
    expect(issue!.tier).toBe('triage');
  });

  test.each<[string, Record<string, string> | null, number, string]>([
    [
      'no api_key',
      { service_code: 'elevator', address_id: '12', description: '电梯坏了' },
      400,
      'api_key is required',
    ],
    [
      'an unknown api_key',
      { api_key: 'o311_not-a-key', service_code: 'elevator', address_id: '12', description: '电梯坏了' },
      403,
      'api_key is invalid or revoked',
    ],
    [
      'no service_code',
      { api_key: '', service_code: '', address_id: '12', description: '电梯坏了' },
      400,
      'service_code is required',
    ],
    [
      'an unknown service_code',
      { api_key: 'KEY', service_code: 'teleport', address_id: '12', description: '电梯坏了' },
      404,
      'unknown service_code',
    ],
    [
      'an unknown jurisdiction',
      {
        api_key: 'KEY',
        jurisdiction_id: 'atlantis',
        service_code: 'elevator',
        address_id: '12',
        description: '电梯坏了',
      },
      404,
      'unknown jurisdiction_id',
    ],
    [
      'no place at all',
      { api_key: 'KEY', service_code: 'elevator', description: '电梯坏了' },
      400,
      'lat & long, address_string or address_id is required',
    ],
    [
      'lat out of range',
      { api_key: 'KEY', service_code: 'elevator', lat: '95', long: '121', description: '电梯坏了' },
      400,
      'lat must be between -90 and 90',
    ],
    [
      'no description',
      { api_key: 'KEY', service_code: 'elevator', address_id: '12' },
      400,
      'description is required',
    ],
    [
      'a bad urgency',
      {
        api_key: 'KEY',
        service_code: 'elevator',
        address_id: '12',
        description: '电梯坏了',
        'attribute[urgency]': 'asap',
      },
      400,
      'attribute[urgency]',
    ],
  ])('%s: the spec’s error list, JSON and XML, nothing written', async (_name, body, status, reason) => {
    const fill = (b: Record<string, string>) =>
      Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v === 'KEY' ? key : v]));
    for (const fmt of ['json', 'xml'] as const) {
      const before = await issueCount();
      const r = await post(fmt, fill(body!));
      expect(r.statusCode).toBe(status);
      expect(errorsOf(r, fmt)).toContain(reason);
      expect(await issueCount()).toBe(before);
    }
  });

  test('a revoked key is refused (403); the list never shows a key', async () => {
    const spare = await t.app.inject({
      method: 'POST',
      url: '/api/admin/open311-keys',
      headers: admin.auth,
      payload: { name: '临时平台' },
    });
    const { key: k2, id } = spare.json();
    const ok = await post('json', {
      api_key: k2,
      service_code: 'greening',
      address_id: '30',
      description: '30号楼绿化',
    });
    expect(ok.statusCode).toBe(201);
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/admin/open311-keys/${id}/revoke`,
      headers: admin.auth,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const before = await issueCount();
    const r = await post('xml', {
      api_key: k2,
      service_code: 'greening',
      address_id: '30',
      description: '30号楼绿化',
    });
    expect(r.statusCode).toBe(403);
    expect(errorsOf(r, 'xml')).toContain('api_key is invalid or revoked');
    expect(await issueCount()).toBe(before);
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/open311-keys', headers: admin.auth });
    expect(list.body).not.toContain(k2);
    expect(list.json().find((k: { id: string }) => k.id === id)).toMatchObject({
      name: '临时平台',
      community: null,
    });
  });
});

describe('issuing keys', () => {
  const keysNamed = async (name: string) =>
    (await t.db.select({ n: count() }).from(open311KeysTable).where(eq(open311KeysTable.name, name)))[0]!.n;
  const issue = (auth: Record<string, string>, idem: string, name: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/open311-keys',
      headers: { ...auth, 'idempotency-key': idem },
      payload: { name, community: J },
    });

  test('a retry with the same Idempotency-Key issues no second key: the same caller gets the same key back', async () => {
    const first = await issue(admin.auth, 'open311-key-create-0001', '重试平台');
    expect(first.statusCode).toBe(201);
    const { key: k } = first.json();
    const again = await issue(admin.auth, 'open311-key-create-0001', '重试平台');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.json()).toEqual(first.json());
    expect(await keysNamed('重试平台')).toBe(1);
    // The key is stored sealed, never in clear.
    const [row] = await t.db
      .select()
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'open311-key-create-0001'));
    expect(row!.state).toBe('done');
    expect(JSON.stringify(row)).not.toContain(k);

    // The process died between the commit and the stored answer: what the service itself committed
    // under another key of the same caller and body (claimed, committed, the answer never stored)
    // is what the replay renders, and it issues nothing more.
    const sealKey = deriveKey(JWT_SECRET, 'idempotency response v1');
    await t.db.insert(idempotencyKeysTable).values({
      ...row!,
      key: 'open311-key-crash-0001',
      state: 'running',
      owner: 'crashed-request',
      statusCode: null,
      response: null,
      sealed: null,
    });
    const committed = await createOpen311Key(
      t.db,
      { name: '重试平台', community: J },
      {
        accountId: admin.accountId,
        now: new Date(),
        idempotency: {
          scope: row!.scope,
          key: 'open311-key-crash-0001',
          owner: 'crashed-request',
          seal: (p) => seal(sealKey, p),
        },
      },
    );
    expect(await keysNamed('重试平台')).toBe(2);
    const afterCrash = await issue(admin.auth, 'open311-key-crash-0001', '重试平台');
    expect(afterCrash.statusCode).toBe(201);
    expect(afterCrash.headers['idempotent-replayed']).toBe('true');
    expect(afterCrash.json()).toEqual(committed);
    expect(await keysNamed('重试平台')).toBe(2);
    // The replayed key works.
    const ok = await post('json', {
      api_key: afterCrash.json().key,
      service_code: 'greening',
      address_id: '30',
      description: '重试平台提交',
    });
    expect(ok.statusCode).toBe(201);
  });

  test('the replay is bound to the caller: another administrator with the same Idempotency-Key gets a key of its own, staff are refused', async () => {
    const first = await issue(admin.auth, 'open311-key-create-0002', '另一平台');
    expect(first.statusCode).toBe(201);
    const other = await t.loginAs('admin');
    const theirs = await issue(other.auth, 'open311-key-create-0002', '另一平台');
    expect(theirs.statusCode).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().id).not.toBe(first.json().id);
    expect(theirs.body).not.toContain(first.json().key);
    const staff = await t.loginAs('yang-chenyi');
    const refused = await issue(staff.auth, 'open311-key-create-0002', '另一平台');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(first.json().key);
    expect(await keysNamed('另一平台')).toBe(2);
  });

  test('the same Idempotency-Key with another body is refused (422) and issues nothing', async () => {
    expect((await issue(admin.auth, 'open311-key-create-0003', '第三平台')).statusCode).toBe(201);
    const r = await issue(admin.auth, 'open311-key-create-0003', '第四平台');
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('idempotency_key_reused');
    expect(await keysNamed('第四平台')).toBe(0);
  });
});

describe('listing requests', () => {
  test('filters: service_code, status, the window; every item has the spec’s fields', async () => {
    const all = (await get(`/open311/v2/requests.json?jurisdiction_id=${J}`)).json() as Record<
      string,
      string
    >[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const r of all) expect(keysOf(r)).toEqual(fields('request'));
    const times = all.map((r) => Date.parse(r.requested_datetime!));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const elevators = (await get('/open311/v2/requests.json?service_code=elevator')).json() as Record<
      string,
      string
    >[];
    expect(elevators.length).toBeGreaterThan(0);
    expect(elevators.every((r) => r.service_code === 'elevator')).toBe(true);
    expect((await get('/open311/v2/requests.json?status=closed')).json()).toEqual([]);
    const open = (await get('/open311/v2/requests.json?status=open')).json() as unknown[];
    expect(open).toHaveLength(all.length);
    const page = (await get('/open311/v2/requests.json?page_size=1&page=2')).json() as Record<
      string,
      string
    >[];
    expect(page.map((r) => r.service_request_id)).toEqual([all[1]!.service_request_id]);
    // A window before anything was filed is empty.
    expect(
      (
        await get('/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z')
      ).json(),
    ).toEqual([]);
    const x = xml.parse((await get('/open311/v2/requests.xml?status=open')).body);
    expect(x.service_requests.request).toHaveLength(all.length);
  });
  test.each([
    ['start_date=2026-01-01&end_date=2026-06-01', 'may not span more than 90 days'],
    ['start_date=yesterday', 'must be a W3C datetime'],
    ['status=pending', 'status must be open or closed'],
    ['page_size=5000', 'page_size'],
  ])('%s: 400 in the spec’s format', async (query, reason) => {
    for (const fmt of ['json', 'xml'] as const) {
      const r = await get(`/open311/v2/requests.${fmt}?${query}`);
      expect(r.statusCode).toBe(400);
      expect(errorsOf(r, fmt)).toContain(reason);
    }
  });
  test('an unknown request is 404', async () => {
    const r = await get('/open311/v2/requests/ZZZZ9999.json');
    expect(r.statusCode).toBe(404);
    expect(errorsOf(r, 'json')).toContain('unknown service_request_id');
  });
  test('reading is rate limited per address: 429 in the spec’s format, with Retry-After', async () => {
    let last = { statusCode: 0 } as Awaited<ReturnType<typeof get>>;
    for (let i = 0; i < 130 && last.statusCode !== 429; i++)
      last = await t.app.inject({
        method: 'GET',
        url: '/open311/v2/services.xml',
        remoteAddress: '10.31.9.9',
      });
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    errorsOf(last, 'xml');
  });
});

describe('the npm Open311 client (open311) over HTTP', () => {
  type Cb<T> = (err: unknown, data: T) => void;
  const promised = <T>(fn: (cb: Cb<T>) => void) =>
    new Promise<T>((resolve, reject) =>
      fn((err, data) => (err ? reject(new Error(String(data))) : resolve(data))),
    );

  test('lists the services, submits a request, reads it back', async () => {
    const client = new Open311({
      endpoint: `${base}/open311/v2/`,
      jurisdiction: J,
      apiKey: key,
      format: 'json',
    });
    const discovery = await promised<{ endpoints: { url: string }[] }>((cb) =>
      new Open311({ discovery: `${base}/open311/discovery.json` }).serviceDiscovery(cb),
    );
    expect(discovery.endpoints[0]!.url).toBe(`${base}/open311/v2`);
    const services = await promised<{ service_code: string; service_name: string }[]>((cb) =>
      client.serviceList(cb),
    );
    expect(services.map((s) => s.service_code)).toContain('water_pump');
    const definition = await promised<{ attributes: { code: string }[] }>((cb) =>
      client.serviceDefinition('water_pump', cb),
    );
    expect(definition.attributes.map((a) => a.code)).toEqual(['urgency']);
    const submitted = await promised<{ service_request_id: string }[]>((cb) =>
      client.submitRequest(
        {
          service_code: 'water_pump',
          address_id: '50',
          description: '50号楼水泵异响',
          attributes: { urgency: 'urgent' },
        },
        cb,
      ),
    );
    const id = submitted[0]!.service_request_id;
    expect(id).toMatch(/^[A-Z0-9]{8}$/);
    const read = await promised<{ service_request_id: string; status: string; address_id: string }[]>((cb) =>
      client.serviceRequests(id, cb),
    );
    expect(read[0]).toMatchObject({ service_request_id: id, status: 'open', address_id: '50' });
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.code, id));
    expect(issue).toMatchObject({ channel: 'open311', building: 50, zone: 'zone-2', urgency: 'urgent' });
  });
});
