import { createHash } from 'node:crypto';
import {
  foldAttributes,
  GEO_XML_ROOTS,
  GeoDiscoverySchema,
  GeoErrorsSchema,
  GeoRequestInput,
  GeoRequestSchema,
  GeoRequestsQuery,
  GeoServiceDefinitionSchema,
  GeoServiceSchema,
  GeoSubmittedSchema,
  OPEN311_FORMATS,
  type Open311Format,
  toGeoDiscovery,
  toGeoErrors,
  toGeoServiceDefinition,
  toGeoServices,
  toGeoXml,
} from '@gongzhi/domain';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorAnswer } from '../plugins/error-handler';
import { jurisdictionOf, serviceOf } from '../services/open311/jurisdiction';
import { getServiceRequest, listServiceRequests } from '../services/open311/list-service-requests';
import { replayServiceRequest, submitServiceRequest } from '../services/open311/submit-service-request';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), under /open311: discovery, the
 * service list and definitions, requests (GET, POST) and one request; each in JSON and XML (the
 * path's extension). Reading is public and rate limited; submitting needs an API key (admin API
 * or `pnpm gongzhi open311-key`). Errors are the spec's list `[{code, description}]` /
 * `<errors><error>`, never our JSON error body. The mapping: packages/domain/src/open311.
 */

/** The day this endpoint's answers last changed shape (discovery's changeset). */
const CHANGESET = new Date('2026-12-03T00:00:00Z');

/** Public reads: per client address, generous for a platform polling every few minutes. */
const READS_PER_MINUTE = 120;
/** Submissions per API key per minute (a district platform relays many residents). */
const SUBMISSIONS_PER_KEY_PER_MINUTE = 60;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An Open311 route: its answer format and the XML root of its answer. */
    open311?: { format: Open311Format; root: string };
  }
}

const MEDIA: Record<Open311Format, string> = { json: 'application/json', xml: 'text/xml' };

const formatOf = (req: FastifyRequest): Open311Format =>
  req.routeOptions.config.open311?.format ?? (/\.xml(\?|$)/.test(req.url) ? 'xml' : 'json');

/** The spec's error list, in the request's format. */
function sendErrors(reply: FastifyReply, format: Open311Format, status: number, descriptions: string[]) {
  const errors = toGeoErrors(status, descriptions);
  if (format === 'xml')
    return reply.status(status).type('text/xml; charset=utf-8').send(toGeoXml(GEO_XML_ROOTS.errors, errors));
  return reply.status(status).send(errors);
}

/** `body.lat` → `lat`: the spec's parameter names, as the caller sent them. */
const parameterOf = (path: string) => path.replace(/^(body|querystring|params|headers)\.?/, '');

interface GeoRoute {
  method: 'GET' | 'POST';
  /** Path without the extension, under /open311. */
  path: string;
  operationId: string;
  summary: string;
  root: string;
  /** The JSON answer's schema. */
  answer: z.ZodType;
  status?: number;
  schema?: { querystring?: z.ZodType; params?: z.ZodType; body?: z.ZodType };
  /** Route config, made afresh for each route (a rate limit's options are never shared). */
  config?: () => Record<string, unknown>;
  handler: (req: FastifyRequest) => Promise<unknown>;
}

export const open311Routes: FastifyPluginAsyncZod = async (app) => {
  // The spec's POST is form-encoded (`attribute[code]=value` flat); JSON is accepted too.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const a = errorAnswer(app as unknown as FastifyInstance, err, req, reply);
    const descriptions = a.details?.length
      ? a.details.map((d) => `${d.path ? `${parameterOf(d.path)}: ` : ''}${d.message} (${a.code})`)
      : [`${a.message} (${a.code})`];
    return sendErrors(reply, formatOf(req), a.status, descriptions);
  });

  app.setNotFoundHandler((req, reply) =>
    sendErrors(reply, formatOf(req), 404, [
      `没有这个 Open311 接口：${req.method} ${req.url.split('?')[0]} / no such Open311 endpoint (route_not_found)`,
    ]),
  );

  // XML routes answer the JSON shape turned into the spec's elements (replays and all).
  app.addHook('preSerialization', async (req, reply, payload) => {
    const o = req.routeOptions.config.open311;
    if (o?.format !== 'xml' || typeof payload === 'string') return payload;
    reply.type('text/xml; charset=utf-8');
    return toGeoXml(o.root, payload);
  });

  // An idempotent replay sends the first answer's text as it was: still XML.
  app.addHook('onSend', async (req, reply, payload) => {
    if (
      req.routeOptions.config.open311?.format === 'xml' &&
      typeof payload === 'string' &&
      payload.startsWith('<?xml')
    )
      reply.type('text/xml; charset=utf-8');
    return payload;
  });

  const readLimit = () => ({ max: READS_PER_MINUTE, timeWindow: '1 minute' });

  const routes: GeoRoute[] = [
    {
      method: 'GET',
      path: '/discovery',
      operationId: 'open311Discovery',
      summary:
        'Open311 service discovery: where the GeoReport v2 endpoint is, its formats and how to get a key',
      root: GEO_XML_ROOTS.discovery,
      answer: GeoDiscoverySchema,
      handler: async () =>
        toGeoDiscovery(
          app.deps.settings.PUBLIC_URL,
          '社区管理员（见 docs/operations.md, Open311）',
          CHANGESET,
        ),
    },
    {
      method: 'GET',
      path: '/v2/services',
      operationId: 'open311Services',
      summary:
        "GeoReport v2 service list: the community's complaint categories (jurisdiction_id = community key)",
      root: GEO_XML_ROOTS.services,
      answer: z.array(GeoServiceSchema),
      schema: { querystring: z.object({ jurisdiction_id: z.string().min(1).max(50).optional() }) },
      handler: async (req) => {
        const q = req.query as { jurisdiction_id?: string };
        return toGeoServices(jurisdictionOf(app.ctx(req), q.jurisdiction_id));
      },
    },
    {
      method: 'GET',
      path: '/v2/services/:service_code',
      operationId: 'open311ServiceDefinition',
      summary:
        'GeoReport v2 service definition: the attributes a service takes (urgency); 404 for an unknown code',
      root: GEO_XML_ROOTS.serviceDefinition,
      answer: GeoServiceDefinitionSchema,
      schema: {
        querystring: z.object({ jurisdiction_id: z.string().min(1).max(50).optional() }),
        params: z.object({ service_code: z.string().min(1).max(50) }),
      },
      handler: async (req) => {
        const q = req.query as { jurisdiction_id?: string };
        const { service_code } = req.params as { service_code: string };
        serviceOf(jurisdictionOf(app.ctx(req), q.jurisdiction_id), service_code);
        return toGeoServiceDefinition(service_code);
      },
    },
    {
      method: 'GET',
      path: '/v2/requests',
      operationId: 'open311Requests',
      summary:
        'GeoReport v2 service requests, newest first: service_request_id list, or service_code, status and a window of at most 90 days (default the last 90), page_size ≤ 1000',
      root: GEO_XML_ROOTS.requests,
      answer: z.array(GeoRequestSchema),
      schema: { querystring: GeoRequestsQuery },
      handler: async (req) => listServiceRequests(app.ctx(req), req.query as GeoRequestsQuery),
    },
    {
      method: 'GET',
      path: '/v2/requests/:service_request_id',
      operationId: 'open311Request',
      summary: 'GeoReport v2 one service request by its id (the public issue code), as a list of one',
      root: GEO_XML_ROOTS.requests,
      answer: z.array(GeoRequestSchema),
      schema: {
        querystring: z.object({ jurisdiction_id: z.string().min(1).max(50).optional() }),
        params: z.object({ service_request_id: z.string().min(4).max(20) }),
      },
      handler: async (req) => {
        const q = req.query as { jurisdiction_id?: string };
        const { service_request_id } = req.params as { service_request_id: string };
        return getServiceRequest(app.ctx(req), q.jurisdiction_id, service_request_id);
      },
    },
    {
      method: 'POST',
      path: '/v2/requests',
      operationId: 'open311SubmitRequest',
      summary:
        'GeoReport v2 submit a service request (form-encoded per the spec, or JSON; api_key required; lat/long, address_string or address_id): it enters as a complaint, routed as any',
      root: GEO_XML_ROOTS.requests,
      answer: z.array(GeoSubmittedSchema),
      status: 201,
      schema: {
        querystring: z.object({ jurisdiction_id: z.string().min(1).max(50).optional() }),
        body: GeoRequestInput,
      },
      config: () => ({
        rateLimit: {
          hook: 'preHandler',
          timeWindow: '1 minute',
          max: SUBMISSIONS_PER_KEY_PER_MINUTE,
          // Per key (hashed: the key never reaches the rate-limit store), else per address.
          keyGenerator: (req: FastifyRequest) => {
            const key = (req.body as { api_key?: unknown } | undefined)?.api_key;
            return typeof key === 'string'
              ? `open311|${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`
              : `open311|${req.ip}`;
          },
        },
        idempotency: {
          replay: async (req: FastifyRequest, id: string) => ({
            status: 201,
            body: await replayServiceRequest(app.ctx(req), id),
          }),
        },
      }),
      handler: async (req) => {
        const body = req.body as GeoRequestInput;
        const q = req.query as { jurisdiction_id?: string };
        return submitServiceRequest(
          app.ctx(req),
          { ...body, jurisdiction_id: body.jurisdiction_id ?? q.jurisdiction_id },
          app.contentSecurity(req),
        );
      },
    },
  ];

  for (const r of routes) {
    for (const format of OPEN311_FORMATS) {
      const status = r.status ?? 200;
      const options: RouteOptions = {
        method: r.method,
        url: `${r.path}.${format}`,
        config: {
          open311: { format, root: r.root },
          // A fresh object per route (never one shared between routes with a rate limit).
          rateLimit: readLimit(),
          ...r.config?.(),
        },
        // Fold a form's attribute[code] keys before the schema reads the body.
        preValidation:
          r.method === 'POST'
            ? async (req: FastifyRequest) => {
                if (req.body && typeof req.body === 'object')
                  req.body = foldAttributes(req.body as Record<string, unknown>);
              }
            : undefined,
        schema: {
          operationId: `${r.operationId}${format === 'json' ? 'Json' : 'Xml'}`,
          summary: `${r.summary} (${format.toUpperCase()})`,
          tags: ['open311'],
          security: [],
          ...r.schema,
          response: {
            [status]:
              format === 'json'
                ? r.answer
                : {
                    description: `GeoReport v2 XML (<${r.root}>)`,
                    content: { [MEDIA.xml]: { schema: z.string() } },
                  },
            // The spec's error list, for every refusal (400, 403, 404, 429).
            '4xx':
              format === 'json'
                ? GeoErrorsSchema
                : {
                    description: 'GeoReport v2 XML <errors>',
                    content: { [MEDIA.xml]: { schema: z.string() } },
                  },
          },
        },
        handler: async (req, reply) => reply.status(status).send(await r.handler(req)),
      };
      app.route(options);
    }
  }
};
