import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether an If-None-Match header names this entity tag (RFC 9110 §13.1.2): `*`, or one of its
 * comma-separated tags by weak comparison (a `W/` prefix on either side is ignored).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  const mine = opaque(etag);
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || opaque(tag) === mine;
  });
}

/** A strong entity tag for a serialized body: its SHA-256, 22 base64url characters, quoted. */
export const entityTag = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

/** A JSON answer serialized once for many requests: public caching for its seconds, its ETag, 304. */
export interface CacheableAnswer {
  body: string;
  etag: string;
  maxAgeSeconds: number;
}

/**
 * Send a cacheable answer (the route says `config.notModified`): `Cache-Control: public,
 * max-age=…`, its ETag, and 304 without a body when If-None-Match names it. The body was checked
 * against the route's schema when it was serialized.
 */
export function sendCacheable(reply: FastifyReply, request: FastifyRequest, answer: CacheableAnswer) {
  reply.header('cache-control', `public, max-age=${answer.maxAgeSeconds}`).header('etag', answer.etag);
  if (etagMatches(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(answer.body);
}
