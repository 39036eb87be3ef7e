import { buildTestApp, type TestApp } from '../helpers/build-app';

interface Operation {
  operationId?: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, unknown>;
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: string[];
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
}

let t: TestApp;
let doc: OpenApiDoc;
beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json() as OpenApiDoc;
});
afterAll(() => t.close());

const op = (path: string, method: string) => {
  const found = doc.paths[path]?.[method];
  if (!found)
    throw new Error(
      `no ${method.toUpperCase()} ${path} in the document; it has ${Object.keys(doc.paths).join(', ')}`,
    );
  return found;
};

test('is an OpenAPI 3 document with a title and version', () => {
  expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
  expect(doc.info.title).toEqual(expect.any(String));
  expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
});

test('documents the public routes with their operationIds, in OpenAPI path syntax', () => {
  const expected: [string, string, string][] = [
    ['/api/issues', 'post', 'createIssue'],
    ['/api/issues', 'get', 'listIssues'],
    ['/api/issues/{id}', 'get', 'getIssue'],
    ['/api/auth/login', 'post', 'login'],
    ['/api/auth/refresh', 'post', 'refreshToken'],
    ['/api/auth/logout', 'post', 'logout'],
    ['/api/me', 'get', 'me'],
    ['/api/communities/{key}', 'get', 'getCommunity'],
    ['/health', 'get', 'health'],
    ['/ready', 'get', 'ready'],
  ];
  for (const [path, method, operationId] of expected) expect(op(path, method).operationId).toBe(operationId);
  // Fastify's ":id" must not leak into the document.
  expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).toEqual([]);
  // The document does not describe itself.
  expect(doc.paths['/openapi.json']).toBeUndefined();
});

test('every operationId is unique', () => {
  const all = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
  expect(all.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  expect(new Set(all).size).toBe(all.length);
});

test('createIssue: a strict JSON body that requires category and description', () => {
  const createIssue = op('/api/issues', 'post');
  expect(createIssue.requestBody?.required).toBe(true);
  const schema = createIssue.requestBody?.content['application/json']?.schema;
  expect(schema?.type).toBe('object');
  expect(schema?.required).toEqual(expect.arrayContaining(['category', 'description', 'community']));
  // Fields with a default are optional for the caller.
  expect(schema?.required).not.toContain('urgency');
  expect(schema?.required).not.toContain('photoIds');
  expect(Object.keys(schema?.properties ?? {})).toEqual(
    expect.arrayContaining([
      'building',
      'zone',
      'spot',
      'urgency',
      'scope',
      'channel',
      'reporterPhone',
      'photoIds',
    ]),
  );
  expect(schema?.properties?.urgency?.enum).toEqual(['normal', 'urgent', 'emergency']);
  expect(schema?.additionalProperties).toBe(false);
  expect(Object.keys(createIssue.responses)).toContain('201');
});

test('path and query parameters are documented', () => {
  const id = op('/api/issues/{id}', 'get').parameters?.find((p) => p.name === 'id');
  expect(id).toEqual(expect.objectContaining({ in: 'path', required: true }));
  const list = op('/api/issues', 'get').parameters ?? [];
  const query = Object.fromEntries(
    list.filter((p) => p.in === 'query').map((p) => [p.name, p.required ?? false]),
  );
  expect(query).toEqual(expect.objectContaining({ community: true, cursor: false, limit: false, q: false }));
});

test('declares bearer JWT auth', () => {
  expect(doc.components?.securitySchemes?.bearer).toEqual(
    expect.objectContaining({ type: 'http', scheme: 'bearer' }),
  );
});

test('every $ref points at something the document defines', () => {
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
  for (const ref of refs) {
    expect(ref.startsWith('#/')).toBe(true);
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) =>
          (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        doc,
      );
    expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
  }
});

test('operations that need a login say so (bearer), public ones do not', async () => {
  const t = await buildTestApp();
  try {
    const doc = (await t.app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    expect(doc.paths['/api/issues']!.post!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/issues']!.get!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/me']!.get!.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/auth/login']!.post!.security).toEqual([]);
  } finally {
    await t.close();
  }
});
