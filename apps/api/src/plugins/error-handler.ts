import { DomainError, type ErrorDetail, type ErrorKind } from '@gongzhi/domain';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { databaseFailure } from '../db/client';
import { domainErrorFromDatabase } from '../db/errors';
import { audit, auditActorOf } from '../lib/audit';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Retry-After of a 429 that did not say its own. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

const PART_NAMES: Record<string, string> = {
  body: '请求内容',
  querystring: '查询参数',
  params: '路径参数',
  headers: '请求头',
};

/** Fastify's own errors that are the client's fault, with a message a person understands. */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: '提交的内容过大' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: '请求内容不是有效的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', message: '请求内容为空' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: '不支持的内容类型',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length', message: '请求长度无效' },
};

/** The resource a refused request named, when it is an id (never a token or code). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function idParam(params: unknown): { id?: string } {
  const id = (params as { id?: unknown } | null)?.id;
  return typeof id === 'string' && UUID.test(id) ? { id } : {};
}

/** What an error answers: the status, a stable code, a Chinese message and the fields at fault. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
}

/**
 * The one mapping of an error to its answer (used by the JSON error body below and by the Open311
 * routes' error list): sets Retry-After, writes the audit line of a refusal, logs what is unexpected.
 */
export function errorAnswer(
  app: FastifyInstance,
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): ErrorAnswer {
  const send = (status: number, code: string, message: string, details?: ErrorDetail[]): ErrorAnswer => {
    // Every 429 says when to come back: the rate-limit plugin and throttles set their own; any
    // other (a limit that forgot, a future one) gets a minute, so no client retries in a tight loop.
    if (status === 429 && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
    }
    return { status, code, message, ...(details ? { details } : {}) };
  };

  const domainErr = err instanceof DomainError ? err : domainErrorFromDatabase(err);
  if (domainErr) {
    if (domainErr.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(domainErr.retryAfterSeconds));
    }
    // Every refusal of something the caller is not allowed to do is an audit line. The route's
    // pattern names the target, never the URL (which may hold a token).
    if (domainErr.kind === 'forbidden')
      audit(request.log, {
        action: 'access.denied',
        ...auditActorOf(request.principal),
        target: `route:${request.method} ${request.routeOptions.url ?? '(none)'}`,
        at: app.deps.now(),
        detail: { code: domainErr.code, ...idParam(request.params) },
      });
    return send(STATUS[domainErr.kind], domainErr.code, domainErr.message, domainErr.details);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const part = (err as { validationContext?: string }).validationContext ?? 'body';
    const details: ErrorDetail[] = err.validation.flatMap((v) => {
      const base = v.instancePath.split('/').filter(Boolean).join('.');
      const prefix = base ? `${part}.${base}` : part;
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === 'unrecognized_keys' && keys) {
        return keys.map((k) => ({ path: `${prefix}.${k}`, message: `不允许的字段 "${k}"` }));
      }
      return [{ path: prefix, message: v.message ?? '无效' }];
    });
    const first = details[0]!;
    return send(
      400,
      'validation_failed',
      `${PART_NAMES[part] ?? part}有误：${(first.path ?? '').replace(/^[a-z]+\.?/, '') || part} ${first.message}`,
      details,
    );
  }
  const known = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (known) return send(known.status, known.code, known.message);
  if (err.statusCode === 429) return send(429, 'rate_limited', '请求过于频繁，请稍后再试');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return send(err.statusCode, 'bad_request', '请求无效');
  }
  // The database or the disk, not the request: 503, so clients and load balancers retry later.
  const failure = databaseFailure(err);
  if (failure === 'unavailable') {
    request.log.error({ err }, 'database unavailable');
    return send(503, 'database_unavailable', '数据库暂时不可用，请稍后再试');
  }
  if (failure === 'disk_full') {
    request.log.error({ err }, 'disk full');
    return send(503, 'disk_full', '服务器存储空间已满，暂时无法保存，请联系管理员');
  }
  request.log.error({ err }, 'unhandled error');
  return send(500, 'internal_error', '服务器内部错误，请稍后再试');
}

/**
 * The one error handler: `{ error: { code, message, details?, requestId } }`. Domain errors map by
 * kind; validation errors name each field; anything unexpected is a 500 that hides internals.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, code, message, details } = errorAnswer(app, err, request, reply);
    return reply
      .status(status)
      .send({ error: { code, message, ...(details ? { details } : {}), requestId: request.id } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: `没有这个接口：${request.method} ${request.url.split('?')[0]}`,
        requestId: request.id,
      },
    }),
  );
});
