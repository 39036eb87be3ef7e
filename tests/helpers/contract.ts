/**
 * The contract (issue 19, item 5): every answer the app really gives is one /openapi.json documents.
 * tests/api/access-matrix.test.ts calls every operation as every role (tests/helpers/access-matrix.ts)
 * and hands every answer on the way — the world's own requests (the happy paths that build it)
 * included — to `contractAnswer`:
 *
 *   - the status is documented for that operation;
 *   - the content type is one the document gives for that status (no body: nothing to check);
 *   - a JSON body is valid against the documented schema (OpenAPI 3.1: JSON Schema 2020-12, ajv);
 *   - every operation of the document was called (`contractSeen`): a new route without a request in
 *     REQUESTS fails.
 *
 * How the document gets its error answers and what a new route must do: docs/api.md.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { InjectOptions, Response } from './access-matrix';

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

let doc: Doc | undefined;
/** Answers given before the document was read (the world is built first): checked once it is. */
const pending: [InjectOptions, Response][] = [];
/** What did not match, once each (ids and codes of the world replaced). */
const problems = new Set<string>();
/** operationId → the statuses it answered with. */
const seen = new Map<string, Set<number>>();
let routes: { method: string; pattern: RegExp; statics: number; path: string; op: Operation }[] = [];
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

/** The documented operation a request reached (the most specific path when several match). */
function operationOf(method: string, url: string) {
  const pathname = url.split('?')[0]!;
  const matches = routes.filter((r) => r.method === method && r.pattern.test(pathname));
  return matches.sort((a, b) => b.statics - a.statics)[0];
}

const report = (problem: string) =>
  problems.add(problem.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}'));

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Checks one answer against the document; what does not match goes to `problems`. */
function check(request: InjectOptions, response: Response) {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = typeof request.url === 'string' ? request.url : (request.url?.pathname ?? request.path ?? '/');
  if (url === '/openapi.json') return;
  const route = operationOf(method, url);
  const where = `${method} ${url.split('?')[0]} → ${response.statusCode}`;
  if (!route) {
    report(`${where}: no operation of the document matches`);
    return;
  }
  const id = route.op.operationId;
  if (!seen.has(id)) seen.set(id, new Set());
  seen.get(id)!.add(response.statusCode);
  const status = String(response.statusCode);
  let documented = route.op.responses[status];
  if (!documented) {
    report(`${id}: ${where} is not documented (it documents ${Object.keys(route.op.responses).join(', ')})`);
    return;
  }
  let pointer = `openapi#/paths/${escapePointer(route.path)}/${method.toLowerCase()}/responses/${status}`;
  if (documented.$ref) {
    const name = documented.$ref.split('/').pop()!;
    documented = doc!.components.responses[name]!;
    pointer = `openapi#/components/responses/${escapePointer(name)}`;
  }
  if (response.rawPayload.length === 0) return;
  const contentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const content = documented.content ?? {};
  if (!(contentType in content)) {
    report(
      `${id}: ${where} answered ${contentType || '(no content type)'}, documented ${Object.keys(content).join(', ') || 'no body'}`,
    );
    return;
  }
  if (contentType !== 'application/json' || !content[contentType]?.schema) return;
  const validate = ajv.getSchema(`${pointer}/content/application~1json/schema`);
  if (!validate) {
    report(`${id}: no schema at ${pointer}`);
    return;
  }
  if (!validate(response.json())) {
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    report(`${id}: ${where} body does not match the document: ${errors.join('; ')}`);
  }
}

/** Every answer of the app goes here; before the document is read it waits. */
export function contractAnswer(request: InjectOptions, response: Response) {
  if (doc) check(request, response);
  else pending.push([request, response]);
}

/** Reads the document (the app's /openapi.json) and checks the answers that waited for it. */
export function readContract(document: unknown) {
  doc = document as Doc;
  ajv.addSchema(doc as object, 'openapi');
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const segments = path.split('/');
      const pattern = new RegExp(
        // A parameter may be a whole segment or part of one (Open311's `{service_code}.json`).
        `^${segments
          .map((s) =>
            s
              .split(/\{[^}]+\}/)
              .map((lit) => lit.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
              .join('[^/]+?'),
          )
          .join('/')}$`,
      );
      return {
        method: method.toUpperCase(),
        pattern,
        statics: segments.filter((s) => !s.startsWith('{')).length,
        path,
        op,
      };
    }),
  );
  for (const [request, response] of pending.splice(0)) check(request, response);
}

/** What did not match the document, once each. */
export const contractProblems = () => [...problems];
/** operationId → the statuses it answered with. */
export const contractSeen = () => seen;
