import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document's contract, completed from what each route already says (docs/api.md):
 *
 * - the error answers each operation can give, all with the one error shape of the error handler
 *   (plugins/error-handler.ts), derived from the route's options — input schemas → 400, a body →
 *   413, a login → 401/403, anything the request names → 404, a write → 409, `config.rateLimit` →
 *   429 with Retry-After, `config.idempotency` → the Idempotency-Key header and 422, every
 *   operation → 503 — plus the statuses a route lists in `config.errorAnswers` (what no option
 *   shows: a throttle inside a service, a signature check);
 * - `security` from the route's onRequest hooks when the route does not state it (`[]` on public
 *   operations);
 * - the media types of a file answer from `config.fileTypes` (the body is not JSON);
 * - a cacheable answer (`config.notModified`): ETag and Cache-Control on the success, and 304;
 * - a description for every tag.
 *
 * New routes get all of this by being routes: nothing is written per route but the exceptions.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error statuses the route's options do not show (a throttle in a service → 429, a signature → 401). */
    errorAnswers?: readonly ErrorStatus[];
    /** The answer is a file of one of these media types (`application/zip`, `text/calendar`, …). */
    fileTypes?: readonly string[];
    /** The status of the file answer when the route declares no response (default 200). */
    fileStatus?: number;
    /** The answer is a 302 redirect to what this says (its Location header). */
    redirect?: string;
    /** Statuses answered with an HTML page for people instead of the JSON error (a link opened by a camera). */
    errorPages?: readonly ErrorStatus[];
    /** The success carries an ETag and its own Cache-Control; If-None-Match with that tag is answered 304. */
    notModified?: boolean;
  }
}

const ERROR_ANSWERS: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'The request is not valid: validation_failed (details name each field), malformed_json, or a code of the rule it breaks',
  },
  401: { name: 'Unauthorized', description: 'Not signed in, or the token or session is no longer valid' },
  403: { name: 'Forbidden', description: 'Signed in, but not allowed to do this' },
  404: { name: 'NotFound', description: 'Nothing the caller may see by that name' },
  409: { name: 'Conflict', description: 'The state of the thing does not allow this now' },
  413: { name: 'PayloadTooLarge', description: 'The request body or an uploaded file is too large' },
  422: {
    name: 'UnprocessableContent',
    description: 'Well-formed but cannot be done (e.g. an Idempotency-Key reused with another body)',
  },
  429: { name: 'TooManyRequests', description: 'Too many requests: try again after Retry-After seconds' },
  503: {
    name: 'ServiceUnavailable',
    description: 'The database or the disk is unavailable, or the server is restarting: try again later',
  },
};

/** The one error body (plugins/error-handler.ts). */
export const ERROR_BODY = {
  type: 'object',
  description: 'Every error answer: a stable code, a message in Chinese, the request id',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', description: 'Stable, machine-readable', examples: ['validation_failed'] },
        message: { type: 'string', description: 'For people, in Simplified Chinese' },
        details: {
          type: 'array',
          description: 'One entry per offending field (path like `body.building`) or allowed step',
          items: {
            type: 'object',
            required: ['message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
        requestId: { type: 'string', description: 'Quote it when reporting a problem' },
      },
    },
  },
} as const;

/** Which Fastify hooks mean which login (compared by identity, so a renamed hook is no surprise). */
type Login = 'required' | 'optional' | 'none';

interface RouteFacts {
  login: Login;
  hasInput: boolean;
  hasBody: boolean;
  names: boolean;
  write: boolean;
  rateLimited: boolean;
  idempotent: boolean;
  errorAnswers: readonly ErrorStatus[];
  fileTypes: readonly string[];
  fileStatus: number | undefined;
  errorPages: readonly ErrorStatus[];
  redirect: string | undefined;
  notModified: boolean;
}

const TAGS: Record<string, string> = {
  health: 'Liveness and readiness for load balancers and monitors',
  auth: 'Signing in and out, tokens, who I am',
  communities: "A community's public configuration",
  issues: 'Issues: filing, reading, routing, closing',
  tasks: 'Tasks dispatched on an issue',
  complaints: "Residents' complaints, tracked by code and secret",
  photos: 'Photo uploads and reads',
  qr: 'Building QR codes',
  admin: 'Administration: bans, community configuration',
  accounts: 'Accounts and their sessions',
  notifications: 'Inbox, WeChat subscriptions, letters, the outbox',
  reports: 'Reports to the organisations',
  duty: 'The duty rota, swaps, the duty log and calendar feeds',
  meetings: 'Zone meetings, joint meetings, resolutions, owners’ assemblies',
  notices: 'Public notices: drafting, approval, publishing',
  oversight: "The supervisory committee's comments, rounds and the ledger",
  letters: 'Reminder and warning letters, the honour roll',
  archive: 'Quarterly archives (signed zip packages)',
  evaluation: "Residents' quarterly evaluation campaigns",
  kpis: 'Key performance indicators and their exports',
  wechat: "WeChat's message push",
};

const SUCCESS: Record<string, string> = { 200: 'Success', 201: 'Created', 204: 'Done (no body)' };

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function factsOf(app: FastifyInstance, route: RouteOptions): RouteFacts {
  const hooks = [route.onRequest ?? []].flat();
  const login: Login = hooks.some((h) => h === app.authenticate || h === app.requireAdmin)
    ? 'required'
    : hooks.some((h) => h === app.authenticateIfSent)
      ? 'optional'
      : 'none';
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const methods = [route.method].flat().map(String);
  const write = methods.some((m) => m !== 'GET' && m !== 'HEAD');
  const hasBody =
    methods.some((m) => METHODS_WITH_BODY.has(m)) &&
    (schema.body !== undefined || schema.consumes !== undefined);
  const config = (route.config ?? {}) as Record<string, unknown> & {
    errorAnswers?: readonly ErrorStatus[];
    fileTypes?: readonly string[];
    fileStatus?: number;
    errorPages?: readonly ErrorStatus[];
    redirect?: string;
    notModified?: boolean;
  };
  return {
    login,
    hasInput: ['params', 'querystring', 'body', 'headers', 'consumes'].some((k) => schema[k] !== undefined),
    hasBody,
    names: ['params', 'querystring', 'body'].some((k) => schema[k] !== undefined),
    write,
    rateLimited: config.rateLimit !== undefined && config.rateLimit !== false,
    idempotent: config.idempotency !== undefined,
    errorAnswers: config.errorAnswers ?? [],
    fileTypes: config.fileTypes ?? [],
    fileStatus: config.fileStatus,
    errorPages: config.errorPages ?? [],
    redirect: config.redirect,
    notModified: config.notModified === true,
  };
}

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  responses: Record<string, Record<string, unknown>>;
}

function errorStatusesOf(facts: RouteFacts, security: Record<string, string[]>[]): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([...facts.errorAnswers, ...facts.errorPages]);
  if (facts.hasInput || facts.hasBody || facts.idempotent) statuses.add(400);
  if (security.some((s) => Object.keys(s).length > 0)) {
    // A token that is sent is checked even where a login is optional; an account that must still
    // change its one-time password is refused (403) everywhere but the password change.
    statuses.add(401);
    statuses.add(403);
  }
  if (facts.names) statuses.add(404);
  if (facts.write) statuses.add(409);
  if (facts.hasBody) statuses.add(413);
  if (facts.idempotent) statuses.add(422);
  if (facts.rateLimited) statuses.add(429);
  statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

function securityOf(facts: RouteFacts): Record<string, string[]>[] {
  if (facts.login === 'required') return [{ bearer: [] }];
  if (facts.login === 'optional') return [{}, { bearer: [] }];
  return [];
}

const FILE_SCHEMA = (mediaType: string) =>
  mediaType.startsWith('text/') ? { type: 'string' } : { type: 'string', contentMediaType: mediaType };

/**
 * The options of @fastify/swagger: the document is OpenAPI 3.1 (its schemas are JSON Schema
 * 2020-12, what zod emits and what the contract test validates with).
 */
export function swaggerOptions(app: FastifyInstance, publicUrl: string): FastifyDynamicSwaggerOptions {
  const facts = new Map<string, RouteFacts>();
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gongzhi 共治 API',
        version: '0.1.0',
        description: '社区分级共治：问题上报、分级派单、会议决策、值班与评议',
        contact: { name: 'gongzhi', url: publicUrl },
      },
      servers: [{ url: publicUrl.replace(/\/+$/, ''), description: 'This deployment (PUBLIC_URL)' }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: (input) => {
      const { route } = input;
      const operationId = (route.schema as { operationId?: string } | undefined)?.operationId;
      if (operationId) facts.set(operationId, factsOf(app, route));
      return jsonSchemaTransform(input);
    },
    transformObject: (documentObject) => {
      const doc = (documentObject as { openapiObject: unknown }).openapiObject as {
        tags?: { name: string; description: string }[];
        paths?: Record<string, Record<string, Operation>>;
        components?: Record<string, Record<string, unknown>>;
      };
      doc.components ??= {};
      const components = doc.components;
      components.schemas ??= {};
      components.schemas.Error = ERROR_BODY;
      components.headers ??= {};
      components.headers['Retry-After'] = {
        description: 'Seconds until a retry may succeed',
        required: true,
        schema: { type: 'integer', minimum: 0 },
      };
      components.parameters ??= {};
      components.parameters.IdempotencyKey = {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'A retried write with the same key and body replays the first answer and creates nothing; ' +
          'the same key with another body is refused (422); while the first is still running, 409',
        schema: { type: 'string', minLength: 8, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
      };
      components.responses ??= {};
      const responses = components.responses;
      for (const [status, { name, description }] of Object.entries(ERROR_ANSWERS)) {
        responses[name] = {
          description,
          ...(status === '429'
            ? { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } }
            : {}),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      const used = new Set<string>();
      for (const methods of Object.values(doc.paths ?? {})) {
        for (const op of Object.values(methods)) {
          for (const tag of op.tags ?? []) used.add(tag);
          // @fastify/swagger names every success "Default Response".
          for (const [status, answer] of Object.entries(op.responses))
            if (answer.description === 'Default Response') answer.description = SUCCESS[status] ?? 'Success';
          const f = op.operationId ? facts.get(op.operationId) : undefined;
          if (!f) continue;
          op.security ??= securityOf(f);
          for (const status of errorStatusesOf(f, op.security)) {
            op.responses[status] ??= f.errorPages.includes(status)
              ? {
                  description: `${ERROR_ANSWERS[status].description} (a page for people)`,
                  content: { 'text/html': { schema: { type: 'string' } } },
                }
              : { $ref: `#/components/responses/${ERROR_ANSWERS[status].name}` };
          }
          if (f.redirect) {
            if (op.responses[200]?.description === 'Default Response') delete op.responses[200];
            op.responses[302] = {
              description: f.redirect,
              headers: { Location: { required: true, schema: { type: 'string' } } },
            };
          }
          if (f.notModified) {
            const headers = {
              ETag: { required: true, schema: { type: 'string' } },
              'Cache-Control': {
                required: true,
                description: 'public, max-age=<seconds until the answer may change>',
                schema: { type: 'string' },
              },
            };
            op.responses[200] = { ...op.responses[200], headers };
            op.responses[304] = {
              description: 'Not modified: If-None-Match named the current ETag (no body)',
              headers,
            };
          }
          if (f.idempotent)
            op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
          if (f.fileTypes.length) {
            if (f.fileStatus && op.responses[200]?.description === 'Default Response')
              delete op.responses[200];
            const success =
              f.fileStatus !== undefined
                ? String(f.fileStatus)
                : (Object.keys(op.responses).find((s) => s.startsWith('2')) ?? '200');
            op.responses[success] = {
              ...op.responses[success],
              description: 'The file',
              content: Object.fromEntries(f.fileTypes.map((t) => [t, { schema: FILE_SCHEMA(t) }])),
            };
          }
        }
      }
      doc.tags = [...used].sort().map((name) => ({ name, description: TAGS[name] ?? name }));
      return doc as Record<string, unknown>;
    },
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The media types of the file answers, for `config.fileTypes`. */
export const FILE_TYPES = {
  SPREADSHEET: ['text/csv', XLSX],
  JPEG: ['image/jpeg'],
  /** The display size and the thumbnail are WebP, the original JPEG. */
  PHOTO: ['image/jpeg', 'image/webp'],
  HTML: ['text/html'],
  ICS: ['text/calendar'],
  ZIP: ['application/zip'],
  TEXT: ['text/plain'],
} as const;
