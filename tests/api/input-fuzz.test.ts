/**
 * Property: no request, however malformed, gets a 5xx. Every operation of the app's own
 * /openapi.json is driven with generated bodies, path parameters, query strings and declared headers
 * — mostly shaped like its schema, with hostile strings (NUL and other controls, lone surrogates,
 * huge strings, odd unicode, crafted cursors), wrong types and out-of-range numbers mixed in — as an
 * administrator and anonymously.
 *
 * Deterministic: the seed is fixed (override with FUZZ_SEED) and fast-check prints it with the
 * shrunk counterexample on failure; FUZZ_RUNS changes the runs per operation.
 */
import fc from 'fast-check';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';
import { startFakeWechat } from '../helpers/fake-wechat';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

let t: TestApp;
let wechat: Awaited<ReturnType<typeof startFakeWechat>>;
let doc: Doc;
let adminAuth: Record<string, string>;
beforeAll(async () => {
  // WeChat is outside: a real HTTP stand-in, so its login answers instead of being unreachable.
  wechat = await startFakeWechat({ appid: 'wx-test-appid', secret: 'wx-test-secret' });
  t = await buildTestApp({ wechatApiBase: wechat.baseUrl });
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  doc = res.json() as Doc;
  adminAuth = (await t.loginAs('admin')).auth;
  qrCode = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await wechat?.close();
});

// --- hostile values -------------------------------------------------------------------------

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** Cursors shaped like ours with something wrong inside, and plain junk. */
const craftedCursors = [
  b64(['2026-01-01T00:00:00.000Z', '------------------------------------']),
  b64(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
  b64(['-000001-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
  b64(['2026-13-45T99:99:99.999Z', '00000000-0000-4000-8000-000000000000']),
  b64([0, 'x']),
  b64({ a: 1 }),
  b64([null, null]),
  b64(['2026-01-01T00:00:00.000Z', 2 ** 64]),
  b64(['2026-01-01T00:00:00.000Z', "'; drop table issues; --"]),
  b64('not json'),
  b64(['2026-01-01T00:00:00.000Z\u0000', '00000000-0000-4000-8000-000000000000']),
  'ABCD%00EF',
  '====',
  'a'.repeat(199),
];

const controlChar = fc
  .integer({ min: 0, max: 0x9f })
  .filter((c) => c < 0x20 || c >= 0x7f)
  .map((c) => String.fromCharCode(c));
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    'ABCD\u0000EF',
    '\ud800',
    'x\udfffy',
    '\u202e\u0085\u2028',
    '\r\n\t',
    '',
    ' ',
    '0302',
    '０３０２号',
    "' or 1=1 --",
    '../../../etc/passwd',
    '%00',
    '1e400',
    '-1',
    '99999999999999999999',
    'NaN',
    'null',
    'true',
    '0000-01-01',
    '9999-12-31T23:59:59Z',
    '275760-09-13',
    '2024-02-30',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '<script>alert(1)</script>',
    '=HYPERLINK("x")',
    '😀'.repeat(50),
    '\ufeff\ufffe\uffff',
    ...craftedCursors,
  ),
  fc
    .tuple(fc.string({ maxLength: 5 }), controlChar, fc.string({ maxLength: 5 }))
    .map(([a, c, b]) => a + c + b),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '号', '\u0085'), maxLength: 12 }),
  fc.integer({ min: 201, max: 30_000 }).map((n) => '长'.repeat(n)),
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e300, -1e300, 2 ** 31, 2 ** 53 + 1, [], {}, [null], {
    '\u0000': 1,
  }),
  fc.string({ maxLength: 8 }),
);

// --- schema-shaped values -------------------------------------------------------------------

function resolve(s: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.split('/').pop() as string;
  return doc.components?.schemas?.[name] ?? {};
}

/**
 * Values the app knows, by field or parameter name, so that a generated request gets past "no such
 * community" and reaches the code that writes (where the 500s were).
 */
const KNOWN: Record<string, unknown[]> = {
  community: ['xiaduoyuan'],
  key: ['xiaduoyuan'],
  zone: ['zone-1', 'zone-2'],
  building: [12, 43],
  n: ['12'],
  category: ['sanitation', 'greening'],
  quarter: ['2026Q4'],
  room: ['302', '3单元302室'],
  phone: ['13912345678'],
  org: ['property'],
};
let qrCode = '';

/** A value that fits the schema (as far as the generator knows). */
function valid(schemaIn: JsonSchema, depth: number, name?: string): fc.Arbitrary<unknown> {
  const s = resolve(schemaIn);
  const generic = validGeneric(s, depth);
  const known = name === 'qr' ? [qrCode] : name ? KNOWN[name] : undefined;
  return known
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: generic })
    : generic;
}

function validGeneric(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valid(a, depth + 1)));
  if (s.allOf?.length) return valid(s.allOf[0] as JsonSchema, depth + 1);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'date')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (s.pattern)
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 1000));
      return fc.string({
        minLength: s.minLength ?? 0,
        maxLength: Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 20, 40)),
      });
    }
    case 'integer':
      return fc.oneof(
        fc.integer({ min: s.minimum ?? -5, max: s.maximum ?? 1_000 }),
        fc.constantFrom(s.minimum ?? 0, s.maximum ?? 2 ** 31, 2 ** 31, 2 ** 53 - 1, -(2 ** 31) - 1),
      );
    case 'number':
      return fc.oneof(
        fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e12, noNaN: true }),
        fc.constantFrom(1e308, -1e308, 0.1),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(s.items ?? {}, depth + 1), {
        minLength: Math.min(s.minItems ?? 0, 3),
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, valid(v, depth + 1, k)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    default:
      return wrongType;
  }
}

/** Every place in a JSON value a mutation may go: each leaf, and a new key in each object. */
function slots(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return [path, ...v.flatMap((x, i) => slots(x, [...path, i]))];
  if (v !== null && typeof v === 'object') {
    return [[...path, '\u0000extra'], ...Object.entries(v).flatMap(([k, x]) => slots(x, [...path, k]))];
  }
  return [path];
}
function replaceAt(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? replaceAt(x, rest, value) : x));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return { ...o, [head]: replaceAt(o[head], rest, value) };
  }
  return value;
}

/**
 * Mostly a valid value with exactly one place made hostile (a string with controls, a huge one,
 * a wrong type, an extra key), so the rest of the request gets through to the code behind it;
 * sometimes the valid value itself.
 */
function shaped(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: valid(s, depth) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          valid(s, depth),
          fc.nat(),
          fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType }),
        )
        .map(([v, i, bad]) => {
          const all = slots(v);
          return replaceAt(v, all[i % all.length] as (string | number)[], bad);
        }),
    },
  );
}

/** A string for a path, query or header parameter: its schema's, or hostile. */
const paramString = (s: JsonSchema | undefined, name: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: valid(s ?? { type: 'string' }, 0, name).map((v) =>
        typeof v === 'string' ? v : JSON.stringify(v),
      ),
    },
    { weight: 1, arbitrary: hostileString },
  );

interface Case {
  anonymous: boolean;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

function caseFor(op: Operation): fc.Arbitrary<Case> {
  const params = op.parameters ?? [];
  const pick = (where: Parameter['in']) =>
    fc.record(
      Object.fromEntries(
        params.filter((p) => p.in === where).map((p) => [p.name, paramString(p.schema, p.name)]),
      ),
      {
        requiredKeys: params
          .filter((p) => p.in === where && (p.required || where === 'path'))
          .map((p) => p.name),
      },
    ) as fc.Arbitrary<Record<string, string>>;
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  return fc.record({
    anonymous: fc.boolean(),
    path: pick('path'),
    query: pick('query'),
    headers: pick('header'),
    body: bodySchema ? shaped(bodySchema, 0) : fc.constant(undefined),
  });
}

/**
 * A path segment as a client would send it; a lone surrogate (which encodeURIComponent refuses)
 * goes as the bytes of its code unit, which is invalid UTF-8 that the server must refuse in turn.
 */
function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
          return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('');
        }
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

/** An address per request, so the rate limits (which are right to refuse floods) do not hide the code. */
let address = 0;
const nextAddress = () => {
  address++;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};

test('no generated request to any operation gets a 5xx (admin and anonymous)', async () => {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  expect(operations.length).toBeGreaterThan(100);
  const failures: string[] = [];
  let requests = 0;
  for (const [index, { path, method, op }] of operations.entries()) {
    const property = fc.asyncProperty(caseFor(op), async (c) => {
      const url =
        path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(c.path[name] ?? 'x')) +
        (Object.keys(c.query).length
          ? `?${Object.entries(c.query)
              .map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`)
              .join('&')}`
          : '');
      const headers: Record<string, string> = { ...(c.anonymous ? {} : adminAuth) };
      for (const [k, v] of Object.entries(c.headers)) {
        // What Node's HTTP parser would never deliver is not a request the app can get.
        if (/^[\t\u0020-\u007e\u0080-\u00ff]*$/.test(v)) headers[k] = v;
      }
      requests++;
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers,
        remoteAddress: nextAddress(),
        ...(c.body === undefined
          ? {}
          : { payload: JSON.stringify(c.body), headers: { ...headers, 'content-type': 'application/json' } }),
      });
      if (res.statusCode >= 500) {
        throw new Error(`${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    });
    // One seed per operation, derived from the suite's: adding an operation changes no other's cases.
    const seed = SEED + index;
    const result = await fc.check(property, { numRuns: RUNS, seed, endOnFailure: true });
    if (result.failed) {
      failures.push(
        `${method} ${path} (seed ${seed}, path ${result.counterexamplePath}): ${String(result.errorInstance)}\n` +
          `  case: ${fc.stringify(result.counterexample?.[0])}`,
      );
    }
  }
  // eslint-disable-next-line no-console
  if (failures.length)
    console.error(`FUZZ_SEED=${SEED}: ${failures.length} operations failed\n${failures.join('\n')}`);
  expect(failures).toEqual([]);
  expect(requests).toBeGreaterThan(operations.length * RUNS * 0.9);
}, 900_000);
