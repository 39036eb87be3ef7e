import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { API_POLICY, DOCUMENT_POLICY } from '../lib/content-security';

export interface SecurityHeadersOptions {
  /** PUBLIC_URL: HSTS is sent only when residents reach the app over https. */
  publicUrl: string;
}

type Headers = Record<string, string>;

/**
 * The headers every answer carries whatever it is (OWASP REST Security Cheat Sheet, "Security
 * headers"): no sniffing, no framing, no referrer (some URLs hold tokens), readable by our own
 * origin only; HSTS (a year) only when PUBLIC_URL is https.
 */
export function apiHeaders(https: boolean): Headers {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/**
 * What a document (a page a browser renders, and the H5 client's files) adds: helmet's full set
 * as @fastify/helmet sent it on every answer before (cross-origin isolation, origin-keyed agent
 * cluster, no DNS prefetch, no IE download opening, no Flash/PDF cross-domain policies, the legacy
 * XSS auditor off). tests/api/security-headers.test.ts holds this to helmet's own output.
 */
export function documentHeaders(https: boolean): Headers {
  return {
    ...apiHeaders(https),
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

function setAll(reply: FastifyReply, headers: Headers) {
  for (const name in headers) reply.header(name, headers[name]);
}

/**
 * The security headers of every answer (docs/security.md, "Headers"), set in one synchronous
 * onSend hook from objects built once:
 * - a document — an HTML answer (the pages the API renders: DOCUMENT_POLICY) or an answer whose
 *   route set its own Content-Security-Policy (the H5 client's files, plugins/web-app.ts) — gets
 *   helmet's full set (documentHeaders);
 * - every other answer (JSON, files, redirects, errors) the lean API set: apiHeaders and
 *   `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (API_POLICY);
 * - `Cache-Control: no-store` on every answer whose route did not choose its caching: personal
 *   answers, tokens, one-time codes and errors are never kept by a browser or a proxy. The H5
 *   client's files, photos, calendar feeds and who is on duty now set their own.
 */
export const securityHeadersPlugin = fp(async (app: FastifyInstance, opts: SecurityHeadersOptions) => {
  const https = new URL(opts.publicUrl).protocol === 'https:';
  const api = apiHeaders(https);
  const document = documentHeaders(https);
  app.addHook('onSend', (_request, reply, payload, done) => {
    const ownPolicy = reply.hasHeader('content-security-policy');
    if (ownPolicy || String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      setAll(reply, document);
      if (!ownPolicy) reply.header('content-security-policy', DOCUMENT_POLICY);
    } else {
      setAll(reply, api);
      reply.header('content-security-policy', API_POLICY);
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
});
